/**
 * Renders a plan as a bash script of OCI CLI commands. Every step looks for
 * the existing resource first (only among ACTIVE ones, so a deleted resource
 * of the same name is never picked), so the script can be re-run: the tag
 * namespace and keys are created only when missing, and dynamic groups,
 * policies, Events rules and the reconcile schedule are created or updated
 * to match. One helper per kind of resource; each is a bash function the
 * steps call.
 */
import type { DynamicGroupPlan, IamPlan, ReconcileSchedulePlan } from './model';
import { commentText, shellQuote } from './quote';
import {
  eventsPolicyComment,
  examplesLines,
  groupComment,
  headerLines,
  restrictionLines,
  scheduleLines,
  schedulePolicyComment,
  warningLines,
} from './render-common';
import { SCHEDULE_ACTION, scheduleMatchingRule } from './schedule';
import { isDefaultDomain } from './identity-domain';

const DRG_SCHEMA = 'urn:ietf:params:scim:schemas:oracle:idcs:DynamicResourceGroup';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const HELPER_FIRST_OCID = String.raw`# Prints the OCID a list query found, or nothing (an empty query prints no OCID).
first_ocid() { local out; out=$("$@" 2>/dev/null) || true; case "$out" in ocid1.*) printf '%s\n' "$out" ;; esac; }`;

const HELPER_FIRST_SCIM_ID = String.raw`# Prints the id an identity-domains list query found, or nothing.
first_scim_id() { local out; out=$("$@" 2>/dev/null) || true; case "$out" in '' | null | *[!A-Za-z0-9._-]*) ;; *) printf '%s\n' "$out" ;; esac; }`;

const HELPER_TAGS = String.raw`ensure_tag_namespace() { # compartment name description
  TAG_NAMESPACE_ID=$(first_ocid oci iam tag-namespace list --compartment-id "$1" --lifecycle-state ACTIVE --all --query "data[?name=='$2'].id | [0]" --raw-output)
  if [ -n "$TAG_NAMESPACE_ID" ]; then echo "tag namespace $2 exists"; return; fi
  TAG_NAMESPACE_ID=$(oci iam tag-namespace create --compartment-id "$1" --name "$2" --description "$3" --query 'data.id' --raw-output)
  echo "created tag namespace $2"
}

ensure_tag_key() { # name description
  if oci iam tag get --tag-namespace-id "$TAG_NAMESPACE_ID" --tag-name "$1" >/dev/null 2>&1; then echo "tag key $1 exists"; return; fi
  oci iam tag create --tag-namespace-id "$TAG_NAMESPACE_ID" --name "$1" --description "$2" >/dev/null
  echo "created tag key $1"
}`;

// A new group is waited for (ACTIVE) because the policies below name it.
const HELPER_DYNAMIC_GROUP = String.raw`ensure_dynamic_group() { # name description matching-rule
  local id; id=$(first_ocid oci iam dynamic-group list --compartment-id "$TENANCY_OCID" --name "$1" --lifecycle-state ACTIVE --all --query 'data[0].id' --raw-output)
  if [ -n "$id" ]; then
    oci iam dynamic-group update --dynamic-group-id "$id" --description "$2" --matching-rule "$3" --force >/dev/null
    echo "updated dynamic group $1"
  else
    oci iam dynamic-group create --compartment-id "$TENANCY_OCID" --name "$1" --description "$2" --matching-rule "$3" --wait-for-state ACTIVE >/dev/null
    echo "created dynamic group $1"
  fi
}`;

const HELPER_DOMAIN_DYNAMIC_GROUP = String.raw`ensure_domain_dynamic_group() { # name description matching-rule patch-operations-json (in the identity domain at $IDENTITY_DOMAIN_URL)
  local id; id=$(first_scim_id oci identity-domains dynamic-resource-groups list --endpoint "$IDENTITY_DOMAIN_URL" --filter "displayName eq \"$1\"" --query 'data.resources[0].id' --raw-output)
  if [ -n "$id" ]; then
    oci identity-domains dynamic-resource-group patch --endpoint "$IDENTITY_DOMAIN_URL" --dynamic-resource-group-id "$id" \
      --schemas '["${PATCH_SCHEMA}"]' --operations "$4" >/dev/null
    echo "updated dynamic group $1 in the identity domain"
  else
    oci identity-domains dynamic-resource-group create --endpoint "$IDENTITY_DOMAIN_URL" --display-name "$1" --description "$2" --matching-rule "$3" \
      --schemas '["${DRG_SCHEMA}"]' >/dev/null
    echo "created dynamic group $1 in the identity domain"
  fi
}`;

// --version-date "" must come with --statements (the CLI refuses one without the other); "" keeps the policy's current version.
const HELPER_POLICY = String.raw`ensure_policy() { # name description statements-json (attached to the tenancy)
  local id; id=$(first_ocid oci iam policy list --compartment-id "$TENANCY_OCID" --name "$1" --lifecycle-state ACTIVE --all --query 'data[0].id' --raw-output)
  if [ -n "$id" ]; then
    oci iam policy update --policy-id "$id" --description "$2" --statements "$3" --version-date "" --force >/dev/null
    echo "updated policy $1"
  else
    oci iam policy create --compartment-id "$TENANCY_OCID" --name "$1" --description "$2" --statements "$3" >/dev/null
    echo "created policy $1"
  fi
}`;

const HELPER_EVENTS_RULE = String.raw`ensure_events_rule() { # compartment name description condition-json
  local id; id=$(first_ocid oci events rule list --compartment-id "$1" --display-name "$2" --lifecycle-state ACTIVE --all --query 'data[0].id' --raw-output)
  if [ -n "$id" ]; then
    oci events rule update --rule-id "$id" --description "$3" --condition "$4" --actions "$ACTIONS" --is-enabled true --force >/dev/null
    echo "updated events rule $2 in $1"
  else
    oci events rule create --compartment-id "$1" --display-name "$2" --description "$3" --is-enabled true --condition "$4" --actions "$ACTIONS" >/dev/null
    echo "created events rule $2 in $1"
  fi
}`;

// The schedule's OCID is checked before its dynamic group's rule names it; the rule goes into JSON too.
const HELPER_SCHEDULE = String.raw`ensure_schedule() { # compartment name description cron resources-json (sets SCHEDULE_OCID)
  SCHEDULE_OCID=$(first_ocid oci resource-scheduler schedule list --compartment-id "$1" --display-name "$2" --lifecycle-state ACTIVE --all --query 'data.items[0].id' --raw-output)
  if [ -n "$SCHEDULE_OCID" ]; then
    oci resource-scheduler schedule update --schedule-id "$SCHEDULE_OCID" --description "$3" --action ${SCHEDULE_ACTION} --recurrence-type CRON --recurrence-details "$4" --resources "$5" --force >/dev/null
    echo "updated schedule $2"
  else
    SCHEDULE_OCID=$(oci resource-scheduler schedule create --compartment-id "$1" --display-name "$2" --description "$3" --action ${SCHEDULE_ACTION} --recurrence-type CRON --recurrence-details "$4" --resources "$5" --query 'data.id' --raw-output)
    echo "created schedule $2"
  fi
  case "$SCHEDULE_OCID" in *[!A-Za-z0-9._-]*) ;; ocid1.resourceschedule.?*) return ;; esac
  echo "schedule $2 has no usable OCID: $SCHEDULE_OCID" >&2; exit 1
}

set_detached_timeout() { # seconds
  oci fn function update --function-id "$FUNCTION_OCID" --detached-mode-timeout-in-seconds "$1" >/dev/null
  echo "set the function's detached timeout to $1 s"
}`;

/** Stands for the schedule's OCID in text that bash completes at run time. */
const SCHEDULE_OCID_TOKEN = 'SCHEDULEOCIDTOKEN';

/** A bash double-quoted word for `text`, with `$SCHEDULE_OCID` in place of {@link SCHEDULE_OCID_TOKEN}. */
function withScheduleOcid(text: string): string {
  const escaped = text.replace(/[\\"$`]/g, (char) => `\\${char}`);
  return `"${escaped.replaceAll(SCHEDULE_OCID_TOKEN, '$SCHEDULE_OCID')}"`;
}

function comments(lines: readonly string[]): string[] {
  return lines.map((line) => (line === '' ? '#' : `# ${line}`));
}

/** True when dynamic groups must be created through the identity domain's own endpoint. */
export function usesDomainEndpoint(plan: IamPlan): boolean {
  return !isDefaultDomain(plan.identityDomain);
}

/**
 * FUNCTION_OCID, the function the Events actions call. With --function-id it
 * is fixed to the value the function's dynamic group names, and a different
 * FUNCTION_OCID in the environment is refused; without, it comes from the
 * environment and must look like a function OCID (it goes into JSON).
 */
function functionLines(plan: IamPlan): string[] {
  if (plan.functionId === undefined)
    return [
      'FUNCTION_OCID="${FUNCTION_OCID:?set FUNCTION_OCID to the function OCID (after fn deploy: fn inspect function <app> oke-nodepool-tagger id)}"',
      `case "$FUNCTION_OCID" in *[!A-Za-z0-9._-]*) ;; ocid1.fnfunc.?*) FUNCTION_OK=1 ;; esac`,
      '[ "${FUNCTION_OK:-}" = 1 ] || { echo "FUNCTION_OCID is not a function OCID: $FUNCTION_OCID" >&2; exit 1; }',
    ];
  return [
    '# The function its dynamic group names (--function-id); the Events rules call the same one.',
    `GENERATED_FUNCTION_OCID=${shellQuote(plan.functionId)}`,
    'if [ "${FUNCTION_OCID:-$GENERATED_FUNCTION_OCID}" != "$GENERATED_FUNCTION_OCID" ]; then',
    '  echo "FUNCTION_OCID is $FUNCTION_OCID, but this script was generated for --function-id $GENERATED_FUNCTION_OCID, which its dynamic group names; regenerate it with the other --function-id" >&2',
    '  exit 1',
    'fi',
    'FUNCTION_OCID=$GENERATED_FUNCTION_OCID',
  ];
}

/** The SCIM PATCH that brings an existing identity-domain group to the plan. */
function patchOperations(group: Pick<DynamicGroupPlan, 'description' | 'matchingRule'>): string {
  return JSON.stringify([
    { op: 'replace', path: 'description', value: group.description },
    { op: 'replace', path: 'matchingRule', value: group.matchingRule },
  ]);
}

function groupLines(plan: IamPlan): string[] {
  const domain = usesDomainEndpoint(plan);
  const out = [`# 2. Dynamic groups${domain ? ` (in identity domain ${commentText(plan.identityDomain ?? '')})` : ''}.`];
  for (const group of plan.dynamicGroups) {
    out.push(...comments(groupComment(group)));
    const args = `${shellQuote(group.name)} ${shellQuote(group.description)} \\`;
    if (domain)
      out.push(`ensure_domain_dynamic_group ${args}`, `  ${shellQuote(group.matchingRule)} \\`, `  ${shellQuote(patchOperations(group))}`);
    else out.push(`ensure_dynamic_group ${args}`, `  ${shellQuote(group.matchingRule)}`);
  }
  return out;
}

/** Section 5: the function's detached timeout, the schedule, its dynamic group and its policy. */
function scheduleSection(plan: IamPlan, schedule: ReconcileSchedulePlan): string[] {
  const resources = [{ id: plan.functionId ?? '<function OCID>', parameters: [{ parameterType: 'BODY', value: schedule.body }] }];
  const rule = scheduleMatchingRule(SCHEDULE_OCID_TOKEN);
  const group = `${shellQuote(schedule.group.name)} ${shellQuote(schedule.group.description)} \\`;
  const steps = [
    `set_detached_timeout ${schedule.detachedTimeoutSeconds}`,
    `ensure_schedule ${shellQuote(schedule.compartmentId)} ${shellQuote(schedule.name)} ${shellQuote(schedule.description)} ${shellQuote(schedule.cron)} \\`,
    `  ${shellQuote(JSON.stringify(resources))}`,
    ...comments(schedulePolicyComment()),
    ...(usesDomainEndpoint(plan)
      ? [
          `ensure_domain_dynamic_group ${group}`,
          `  ${withScheduleOcid(rule)} \\`,
          `  ${withScheduleOcid(patchOperations({ description: schedule.group.description, matchingRule: rule }))}`,
        ]
      : [`ensure_dynamic_group ${group}`, `  ${withScheduleOcid(rule)}`]),
    `ensure_policy ${shellQuote(schedule.policy.name)} ${shellQuote(schedule.policy.description)} \\`,
    `  ${shellQuote(JSON.stringify(schedule.policy.statements))}`,
  ];
  return [
    '# 5. The scheduled reconcile.',
    ...comments(scheduleLines(schedule)),
    ...(schedule.enabled ? steps : steps.map((line) => (line.startsWith('#') ? line : `# ${line}`))),
  ];
}

/** The whole script. `reconcileCommand` is shown in the closing warning. */
export function renderCliScript(plan: IamPlan, reconcileCommand: string): string {
  const domain = usesDomainEndpoint(plan);
  const out: string[] = ['#!/usr/bin/env bash', ...comments(headerLines(plan, 'OCI CLI script'))];
  out.push('#', '# Run it as a tenancy administrator with the OCI CLI configured. Re-running is safe.');
  out.push(...comments(warningLines(plan)));
  out.push('set -euo pipefail', '');
  out.push('TENANCY_OCID="${TENANCY_OCID:?set TENANCY_OCID to your tenancy OCID}"', ...functionLines(plan));
  if (domain)
    out.push(
      `IDENTITY_DOMAIN_URL="\${IDENTITY_DOMAIN_URL:?set IDENTITY_DOMAIN_URL to the URL of identity domain ${plan.identityDomain ?? ''} (oci iam domain list)}"`,
    );
  out.push('ACTIONS="{\\"actions\\":[{\\"actionType\\":\\"FAAS\\",\\"functionId\\":\\"$FUNCTION_OCID\\",\\"isEnabled\\":true}]}"', '');
  const helpers = domain
    ? [HELPER_FIRST_OCID, HELPER_FIRST_SCIM_ID, HELPER_TAGS, HELPER_DOMAIN_DYNAMIC_GROUP]
    : [HELPER_FIRST_OCID, HELPER_TAGS, HELPER_DYNAMIC_GROUP];
  const scheduleHelpers = plan.reconcileSchedule?.enabled === true ? [HELPER_SCHEDULE] : [];
  out.push([...helpers, HELPER_POLICY, HELPER_EVENTS_RULE, ...scheduleHelpers].join('\n\n'), '');

  out.push('# 1. The tag namespace and keys the function writes (created only when missing).');
  const nsCompartment = plan.tagNamespaceCompartmentId === undefined ? '"$TENANCY_OCID"' : shellQuote(plan.tagNamespaceCompartmentId);
  out.push(
    `ensure_tag_namespace ${nsCompartment} ${shellQuote(plan.tagNamespace)} ${shellQuote('Tags written by oke-nodepool-tagger; dynamic groups match on them')}`,
  );
  for (const key of plan.tagKeys)
    out.push(
      `ensure_tag_key ${shellQuote(key)} ${shellQuote(key === plan.tagKeys[0] ? "The node pool's name (written by oke-nodepool-tagger)" : "The cluster's name (written by oke-nodepool-tagger)")}`,
    );
  out.push('', ...groupLines(plan), '');

  out.push('# 3. Policies (attached to the tenancy, so they may name any compartment).');
  for (const [index, policy] of plan.policies.entries()) {
    if (index === 1) out.push(...comments(eventsPolicyComment()));
    out.push(
      `ensure_policy ${shellQuote(policy.name)} ${shellQuote(policy.description)} \\`,
      `  ${shellQuote(JSON.stringify(policy.statements))}`,
    );
  }
  out.push('');

  out.push("# 4. Events rules: instance events where the node pools' instances live, node pool and cluster events where the pools are.");
  for (const rule of plan.eventsRules)
    out.push(
      `ensure_events_rule ${shellQuote(rule.compartmentId)} ${shellQuote(rule.name)} ${shellQuote(rule.description)} \\`,
      `  ${shellQuote(rule.conditionJson)}`,
    );
  out.push('');
  if (plan.reconcileSchedule !== undefined) out.push(...scheduleSection(plan, plan.reconcileSchedule), '');
  else out.push('# 5. No scheduled reconcile (--reconcile-schedule none).', '');

  out.push(...comments(examplesLines(plan)), '#');
  out.push(...comments(restrictionLines(plan, reconcileCommand)));
  return `${out.join('\n')}\n`;
}
