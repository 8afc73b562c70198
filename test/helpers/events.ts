/**
 * Recorded and hand-made invocations under `test/fixtures/events`, grouped by
 * kind (`oci`, `cloudevents`, `reconcile`, `hostile`). A fixture is a body
 * file; a binary-mode CloudEvent also has a sidecar `<name>.headers.json`
 * holding its headers in the FDK's form (canonical names, arrays of values).
 * Unit tests and the replay CLI read the same files. Beside the loaders: the
 * OCIDs the fixtures name, and the assertions the parser's tests share.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseInvocation, type InvocationHeaders, type ParsedInvocation } from '../../src/event';
import { isOcid } from '../../src/ocid';

/** Absolute path of the event fixtures directory. */
export const EVENT_FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'events');

const HEADERS_SUFFIX = '.headers.json';

/** The instance the launch fixtures name. */
export const INSTANCE_ID = 'ocid1.instance.oc1.iad.anuwcljtexampleinstance00000000000000000000000000000000';

/** The compartment the launch fixtures name. */
export const COMPARTMENT_ID = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000';

/** The tenancy, which is also the root compartment, of the fixtures. */
export const TENANCY_ID = 'ocid1.tenancy.oc1..aaaaaaaaexampletenancy00000000000000000000000000000000000';

/** The kinds of result `parseInvocation` returns. */
export type Kind = ParsedInvocation['kind'];

/** The result of one kind. */
export type OfKind<K extends Kind> = Extract<ParsedInvocation, { kind: K }>;

/** Every kind of result, for asserting that a result has one of them. */
export const KINDS: readonly Kind[] = ['launch', 'ignored', 'rejected', 'reconcile'];

/**
 * The raw bytes of one fixture, exactly as stored (no decoding, no BOM handling).
 *
 * @param relativePath - a path under the fixtures directory, e.g. `oci/launchinstance-end.json`.
 * @throws Error when the path leaves the fixtures directory or the file is missing.
 */
export function loadEventFixture(relativePath: string): Buffer {
  return readFileSync(resolveFixturePath(relativePath));
}

/**
 * The headers recorded beside a fixture in `<name>.headers.json`, or an empty
 * map when the fixture has none (every OCI envelope and structured event).
 *
 * @param relativePath - the body fixture's path, e.g. `cloudevents/binary-launch.json`.
 */
export function loadEventFixtureHeaders(relativePath: string): InvocationHeaders {
  const headersPath = resolveFixturePath(relativePath.replace(/\.[^./]+$/, '') + HEADERS_SUFFIX);
  if (!existsSync(headersPath)) return {};
  const parsed: unknown = JSON.parse(readFileSync(headersPath, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`headers fixture ${headersPath} does not hold a JSON object`);
  }
  return parsed as InvocationHeaders;
}

/**
 * The body fixtures of one group, as sorted paths relative to the fixtures
 * directory (`hostile/array.json`, …); header sidecars are left out.
 *
 * @param group - a directory directly under the fixtures directory.
 */
export function listEventFixtures(group: string): string[] {
  const directory = resolveFixturePath(group);
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith(HEADERS_SUFFIX))
    .map((entry) => `${group}/${entry.name}`)
    .sort();
}

/** Parses a fixture with the headers recorded beside it, or with `headers` when given. */
export function parseFixture(relativePath: string, headers?: InvocationHeaders): ParsedInvocation {
  return parseInvocation(loadEventFixture(relativePath), headers ?? loadEventFixtureHeaders(relativePath));
}

/** Asserts the kind and narrows the type, so a wrong kind fails with a readable diff. */
export function expectKind<K extends Kind>(result: ParsedInvocation, kind: K): OfKind<K> {
  expect(result).toMatchObject({ kind });
  if (result.kind !== kind) throw new Error(`expected ${kind}, got ${JSON.stringify(result)}`);
  return result as OfKind<K>;
}

/** What every result must satisfy, whatever the input. */
export function expectWellFormed(result: ParsedInvocation): void {
  expect(KINDS).toContain(result.kind);
  expect(Object.isFrozen(result)).toBe(true);
  if (result.kind === 'launch') expect(isOcid(result.instanceId, 'instance')).toBe(true);
  if (result.kind === 'rejected' || result.kind === 'ignored') {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
  }
}

/** The own property names of Object.prototype, sorted, to tell whether a parse polluted it. */
export function objectPrototypeKeys(): string[] {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

/** Resolves a fixture path, refusing one that would escape the fixtures directory. */
function resolveFixturePath(relativePath: string): string {
  const resolved = path.resolve(EVENT_FIXTURES_DIR, relativePath);
  if (resolved !== EVENT_FIXTURES_DIR && !resolved.startsWith(EVENT_FIXTURES_DIR + path.sep)) {
    throw new Error(`fixture path ${JSON.stringify(relativePath)} is outside ${EVENT_FIXTURES_DIR}`);
  }
  return resolved;
}
