/**
 * Identity domains doctor did not read. The classic IAM API shows the
 * Default domain's dynamic groups only; another domain's are read only when
 * `--identity-domain-url` names it. When policies name groups of a domain
 * that was not read, a group doctor looks for (the function's, a pool's) may
 * live there: "no group matches" is then not known, and the report says
 * which domains to name.
 */
import { isDefaultDomain } from './identity-domain';
import { check, type CheckResult, type DoctorFacts } from './doctor-model';

const TITLE = 'identity domains';

/** The domains other than Default that statements name dynamic groups of and whose groups were not read, each once. */
export function unseenDomains(facts: DoctorFacts): string[] {
  const read = new Set((facts.iam.domainsRead ?? []).map((domain) => domain.toLowerCase()));
  const unseen = new Map<string, string>();
  for (const { parsed } of facts.iam.statements) {
    if (parsed.kind !== 'allow') continue;
    for (const subject of parsed.subjects) {
      if (subject.kind !== 'dynamic-group' || subject.by !== 'name' || isDefaultDomain(subject.domain)) continue;
      const domain = subject.domain ?? '';
      if (!read.has(domain.toLowerCase()) && !unseen.has(domain.toLowerCase())) unseen.set(domain.toLowerCase(), domain);
    }
  }
  return [...unseen.values()];
}

/** The dynamic-group OCIDs that statements name and that no group read holds: groups of a domain that was not read, maybe. */
export function unseenGroupIds(facts: DoctorFacts): string[] {
  const known = new Set(facts.iam.dynamicGroups.map((group) => group.id));
  const unseen = new Set<string>();
  for (const { parsed } of facts.iam.statements) {
    if (parsed.kind !== 'allow') continue;
    for (const subject of parsed.subjects)
      if (subject.kind === 'dynamic-group' && subject.by === 'id' && !known.has(subject.id)) unseen.add(subject.id);
  }
  return [...unseen];
}

/** Why a missing group is not known to be missing, when some domain was not read; undefined when every named domain was. */
export function unseenDomainsReason(facts: DoctorFacts): string | undefined {
  const domains = unseenDomains(facts);
  const ids = unseenGroupIds(facts);
  const parts = [
    ...(domains.length > 0 ? [`policies name dynamic groups of identity domain(s) ${domains.join(', ')}, which were not read`] : []),
    ...(ids.length > 0 ? [`policies name dynamic group(s) ${ids.join(', ')} by OCID, which no domain read holds`] : []),
  ];
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** The fix that lets doctor see those domains' groups. */
export const NAME_THE_DOMAINS = "name each domain with --identity-domain-url URL (the URL is on the domain's page in the Console)";

/** The identity-domains line: present only when policies name groups of domains other than Default. */
export function checkDomains(facts: DoctorFacts): CheckResult[] {
  const reason = unseenDomainsReason(facts);
  if (reason !== undefined) return [check('identity-domains', TITLE, 'warn', `${reason}: groups there are not seen`, NAME_THE_DOMAINS)];
  const named = (facts.iam.domainsRead ?? []).length;
  return named === 0 ? [] : [check('identity-domains', TITLE, 'ok', `the groups of ${facts.iam.domainsRead?.join(', ')} were read`)];
}
