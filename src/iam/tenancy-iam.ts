/**
 * The tenancy's IAM as `explain` and `doctor` read it: the compartment tree,
 * the dynamic groups of the Default domain and of each named identity
 * domain, and every policy of every compartment with its statements parsed.
 * A read that fails is not fatal here: it is kept as an {@link UnreadPart}
 * (what could not be seen and why), so each answer built on it can say
 * "unknown" instead of "no".
 */
import { forEachConcurrently } from '../concurrency';
import { describeError } from '../errors';
import { isResourceGone } from '../tagging/lifecycle';
import type { AccessPorts, CompartmentInfo, DynamicGroupInfo, PolicyInfo } from './access-model';
import { parsePolicyStatement, type ParsedPolicyStatement } from './policy-statement';
import type { CompartmentTree } from './policy-statement-evaluate';

/** ListPolicies calls in flight while the policies of every compartment are read. */
export const POLICY_READ_CONCURRENCY = 8;

/** A part of the tenancy that could not be read: the operation, what it was about and the error. */
export interface UnreadPart {
  readonly operation: string;
  readonly resourceId: string;
  readonly reason: string;
}

/** One statement of a policy, parsed, with where it lives. */
export interface TenancyStatement {
  readonly policy: PolicyInfo;
  /** The statement's index in the policy. */
  readonly index: number;
  readonly text: string;
  readonly parsed: ParsedPolicyStatement;
}

export interface TenancyIam {
  readonly tree: CompartmentTree;
  /** The live compartments (neither DELETED nor DELETING), the tenancy not among them. */
  readonly compartments: readonly CompartmentInfo[];
  readonly dynamicGroups: readonly DynamicGroupInfo[];
  readonly policies: readonly PolicyInfo[];
  readonly statements: readonly TenancyStatement[];
  readonly unread: readonly UnreadPart[];
  /** The identity domains other than Default whose dynamic groups were read (named with `--identity-domain-url`, and listed). */
  readonly domainsRead?: readonly string[];
}

/**
 * Reads compartments, dynamic groups and policies. Calls: the pages of one
 * ListCompartments over the subtree, the pages of ListDynamicGroups (and of
 * each identity domain's list), and the pages of ListPolicies for the
 * tenancy and each live compartment.
 */
export async function readTenancyIam(ports: AccessPorts, onProgress: (message: string) => void = () => {}): Promise<TenancyIam> {
  const unread: UnreadPart[] = [];
  const attempt = async <T>(operation: string, resourceId: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      unread.push({ operation, resourceId, reason: describeError(error) });
      return undefined;
    }
  };
  const { tenancyId } = ports;
  onProgress('reading compartments');
  const listed = (await attempt('ListCompartments', tenancyId, () => ports.identity.listCompartments(tenancyId))) ?? [];
  const compartments = listed.filter((compartment) => !isResourceGone(compartment.lifecycleState));
  onProgress('reading dynamic groups');
  const dynamicGroups = [...((await attempt('ListDynamicGroups', tenancyId, () => ports.identity.listDynamicGroups(tenancyId))) ?? [])];
  const domainsRead: string[] = [];
  for (const domain of ports.identityDomains) {
    const groups = await attempt('ListDynamicResourceGroups', domain.domain, () => domain.listDynamicGroups());
    if (groups === undefined) continue;
    domainsRead.push(domain.domain);
    dynamicGroups.push(...groups);
  }
  const policyCompartments = [tenancyId, ...compartments.map((compartment) => compartment.id)];
  const byCompartment = new Map<string, PolicyInfo[]>();
  onProgress(`reading the policies of ${policyCompartments.length} compartment(s)`);
  await forEachConcurrently(policyCompartments, POLICY_READ_CONCURRENCY, async (compartmentId) => {
    const found = await attempt('ListPolicies', compartmentId, () => ports.identity.listPolicies(compartmentId));
    if (found !== undefined) byCompartment.set(compartmentId, found);
  });
  // Policies keep the order of the compartments they were read from, whatever order the reads finished in.
  const policies = policyCompartments
    .flatMap((compartmentId) => byCompartment.get(compartmentId) ?? [])
    .filter((policy) => !isResourceGone(policy.lifecycleState));
  const statements = policies.flatMap((policy) =>
    policy.statements.map((text, index) => ({ policy, index, text, parsed: parsePolicyStatement(text) })),
  );
  const tree: CompartmentTree = {
    tenancyId,
    compartments: compartments.map((compartment) => ({ id: compartment.id, name: compartment.name, parentId: compartment.parentId })),
    complete: !unread.some((part) => part.operation === 'ListCompartments'),
  };
  return { tree, compartments, dynamicGroups, policies, statements, unread, domainsRead };
}

/** A compartment's path of names from the tenancy (`root:apps:prod`), for display; the OCID when it is not in the tree. */
export function compartmentPath(compartmentId: string, tree: CompartmentTree): string {
  if (compartmentId === tree.tenancyId) return 'root';
  const names: string[] = [];
  const seen = new Set<string>();
  let current: string | undefined = compartmentId;
  while (current !== undefined && current !== tree.tenancyId && !seen.has(current)) {
    seen.add(current);
    const id: string = current;
    const node = tree.compartments.find((candidate) => candidate.id === id);
    if (node === undefined) return names.length === 0 ? compartmentId : `${compartmentId}:${names.join(':')}`;
    names.unshift(node.name);
    current = node.parentId;
  }
  return ['root', ...names].join(':');
}
