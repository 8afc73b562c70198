/**
 * Names of the dynamic groups, policies and rules the generator creates.
 *
 * The rule applied (the intersection of what OCI accepts for dynamic-group,
 * policy and Events-rule names): letters A-Z a-z, digits, hyphen, underscore
 * and period; 1 to 100 characters. Names are deterministic (the same pools
 * give the same names on every run) and collision-free: a name that had to be
 * changed to fit the rule carries a short hash of the original, and names
 * that still collide (OCI compares them without regard to case) get a hash of
 * the pool's OCID.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME_LENGTH = 100;
export const NAME_RULE = 'letters, digits, hyphen (-), underscore (_) and period (.); at most 100 characters';
const HASH_LENGTH = 6;

/** The first `length` hex digits of the SHA-256 of `text`. */
export function shortHash(text: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, length);
}

/**
 * One segment of a name: accents dropped (é → e), every run of other
 * characters outside the rule turned into one hyphen, hyphens and periods
 * trimmed from the ends. The second value says whether anything was lost.
 */
export function sanitiseSegment(raw: string): { readonly text: string; readonly lossy: boolean } {
  const folded = raw.normalize('NFKD').replace(/\p{M}/gu, '');
  const text = folded.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return { text: text === '' ? 'x' : text, lossy: text !== raw };
}

/**
 * `prefix` + the sanitised `parts` joined by hyphens. When any part lost
 * characters, a hash of the raw parts is appended so that different raw
 * names cannot meet. A name over {@link MAX_NAME_LENGTH} is cut and gets the
 * hash too.
 */
export function buildName(prefix: string, parts: readonly string[]): string {
  const sanitised = parts.map(sanitiseSegment);
  const body = [prefix, ...sanitised.map((part) => part.text)].join('-');
  const hash = shortHash(JSON.stringify(parts));
  const lossy = sanitised.some((part) => part.lossy);
  if (!lossy && body.length <= MAX_NAME_LENGTH) return body;
  const room = MAX_NAME_LENGTH - HASH_LENGTH - 1;
  const cut = body.length > room ? body.slice(0, room).replace(/[-.]+$/, '') : body;
  return `${cut}-${hash}`;
}

/** True when `name` follows {@link NAME_RULE}. */
export function isValidName(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(name);
}

/**
 * Makes the names unique without regard to case. Every member of a
 * colliding set gets `-<hash of its key>` (keys are unique, e.g. pool OCIDs),
 * so which one came first does not matter.
 */
export function disambiguate<T extends { readonly name: string; readonly key: string }>(items: readonly T[]): T[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item.name.toLowerCase(), (counts.get(item.name.toLowerCase()) ?? 0) + 1);
  const result = items.map((item) => {
    if ((counts.get(item.name.toLowerCase()) ?? 0) < 2) return item;
    const suffix = `-${shortHash(item.key, 8)}`;
    return { ...item, name: `${item.name.slice(0, MAX_NAME_LENGTH - suffix.length).replace(/[-.]+$/, '')}${suffix}` };
  });
  const seen = new Set<string>();
  for (const item of result) {
    if (seen.has(item.name.toLowerCase())) throw new Error(`generated name ${item.name} is not unique even after disambiguation`);
    seen.add(item.name.toLowerCase());
  }
  return result;
}
