/**
 * How a statement that names none of the node's groups may still reach it:
 * an `any-user` or `any-group` subject whose condition does not rule out an
 * instance principal, a dynamic group that was not read (its identity domain
 * was not named or could not be listed, or no domain read holds its OCID),
 * or, for a statement that does not parse, text that names any of those.
 */
import { DEFAULT_DOMAIN } from './explain-access';
import type { AllowStatement, PolicySubject } from './policy-statement';
import { evaluateCondition } from './policy-statement-evaluate';

/**
 * `request.principal.type` of a request an instance principal makes: the
 * value OCI's own policies for instances test (`request.principal.type =
 * 'instance'`, e.g. in the OKE Node Doctor and Vault instructions).
 */
const INSTANCE_PRINCIPAL_TYPE = 'instance';

export const NOT_EVALUATED = 'may apply; condition not evaluated';
export const DOMAIN_NOT_READ = "may apply; the group's domain was not read";

const UNCONDITIONED: Readonly<Record<'any-user' | 'any-group', string>> = {
  'any-user': 'applies to every principal, this node included: any-user without a condition',
  'any-group': 'applies to every group and dynamic group, so to this node whenever it matches one: any-group without a condition',
};
const FOR_INSTANCES: Readonly<Record<'any-user' | 'any-group', string>> = {
  'any-user': `applies to every instance principal, this node included: its condition holds for request.principal.type '${INSTANCE_PRINCIPAL_TYPE}'`,
  'any-group': `applies to every instance principal in a dynamic group, so to this node whenever it matches one: its condition holds for request.principal.type '${INSTANCE_PRINCIPAL_TYPE}'`,
};

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** What was read: the identity domains whose dynamic groups were listed, and every group's OCID. */
export interface ReadGroups {
  /** Domain names as policies spell them (`Default` included when its list was read), compared without regard to case. */
  readonly domains: readonly string[];
  readonly groupIds: ReadonlySet<string>;
}

export function isDomainRead(read: ReadGroups, domain: string | undefined): boolean {
  return read.domains.some((candidate) => same(candidate, domain ?? DEFAULT_DOMAIN));
}

/**
 * Why an `any-user` / `any-group` statement concerns the node, or
 * `undefined` when its condition surely rules out an instance principal.
 * Only `request.principal.type` is decided; every other variable leaves the
 * condition unknown, and an unknown condition may apply.
 */
export function anyoneReach(statement: AllowStatement, kind: 'any-user' | 'any-group'): string | undefined {
  const { condition } = statement;
  if (condition === undefined) return UNCONDITIONED[kind];
  if (condition.parsed === undefined) return NOT_EVALUATED;
  const { answer } = evaluateCondition(condition.parsed, (variable) =>
    variable === 'request.principal.type'
      ? { value: INSTANCE_PRINCIPAL_TYPE }
      : { answer: 'unknown' as const, reason: `the condition uses ${variable}, which is not evaluated` },
  );
  if (answer === false) return undefined;
  return answer === true ? FOR_INSTANCES[kind] : NOT_EVALUATED;
}

/** A dynamic group a statement names that was not read, as the statement writes it, and why it counts as unread. */
export interface UnreadSubject {
  readonly written: string | null;
  readonly id: string | null;
  /** The domain named (`Default` when none is written); `undefined` for a group named by OCID. */
  readonly domain: string | undefined;
  readonly note: string;
}

/** The dynamic-group subjects of a statement whose groups were not read. */
export function unreadSubjects(subjects: readonly PolicySubject[], read: ReadGroups): UnreadSubject[] {
  const found: UnreadSubject[] = [];
  for (const subject of subjects) {
    if (subject.kind !== 'dynamic-group') continue;
    if (subject.by === 'id') {
      if (read.groupIds.has(subject.id)) continue;
      found.push({
        written: null,
        id: subject.id,
        domain: undefined,
        note: `${DOMAIN_NOT_READ}: no dynamic group read has this OCID, so it may belong to an identity domain that was not read`,
      });
    } else if (!isDomainRead(read, subject.domain)) {
      const domain = subject.domain ?? DEFAULT_DOMAIN;
      found.push({
        written: subject.domain === undefined ? subject.name : `${subject.domain}/${subject.name}`,
        id: null,
        domain,
        note: `${DOMAIN_NOT_READ} (identity domain ${domain})`,
      });
    }
  }
  return found;
}

/** What the text of a statement that does not parse names that could concern the node. */
export interface UnparsedReach {
  readonly concerns: boolean;
  /** Domains it names (a `'Domain'/…` prefix in a dynamic-group subject) that were not read. */
  readonly domainsNotRead: readonly string[];
  /** `ocid1.dynamicgroup…` OCIDs it names that no domain read holds. */
  readonly groupIdsNotRead: readonly string[];
}

const ANYONE = /(^|[^\w-])any-(user|group)($|[^\w-])/i;
/** A `domain/` prefix, quoted or bare, anywhere in a subject. */
const DOMAIN_PREFIX = /(?:'([^']*)'|"([^"]*)"|([^\s,'"/{}]+))\s*\//g;
/** The subject of a statement: what comes before its first " to " (all of it when there is none). */
const SUBJECT = /^(.*?)\sto\s/is;
const DYNAMIC_GROUP_OCID = /ocid1\.dynamicgroup\.[\w.-]+/gi;

/**
 * Reads the text of a statement the parser could not: it could concern the
 * node when it names `any-user` or `any-group`, a dynamic group of a domain
 * that was not read (a `domain/` prefix in a dynamic-group subject), a dynamic-group OCID that no domain read holds, or any
 * dynamic group while the Default domain's groups could not be listed.
 */
export function unparsedReach(text: string, read: ReadGroups): UnparsedReach {
  const subject = SUBJECT.exec(text)?.[1] ?? text;
  const prefixes = /dynamic-group/i.test(subject) ? [...subject.matchAll(DOMAIN_PREFIX)] : [];
  const domainsNotRead = prefixes
    .map((match) => match[1] ?? match[2] ?? match[3] ?? '')
    .filter((domain) => domain !== '' && !isDomainRead(read, domain));
  const groupIdsNotRead = [...text.matchAll(DYNAMIC_GROUP_OCID)].map((match) => match[0]).filter((id) => !read.groupIds.has(id));
  const defaultUnread = !isDomainRead(read, undefined) && /dynamic-group/i.test(text);
  const concerns = ANYONE.test(text) || domainsNotRead.length > 0 || groupIdsNotRead.length > 0 || defaultUnread;
  return { concerns, domainsNotRead, groupIdsNotRead };
}
