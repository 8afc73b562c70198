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

/** Why a missing group is not known to be missing, when some domain was not read; undefined when every named domain was. */
export function unseenDomainsReason(facts: DoctorFacts): string | undefined {
  const unseen = unseenDomains(facts);
  return unseen.length === 0 ? undefined : `policies name dynamic groups of identity domain(s) ${unseen.join(', ')}, which were not read`;
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
