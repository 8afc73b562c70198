/**
 * Recorded and hand-made invocations under `test/fixtures/events`, grouped by
 * kind (`oci`, `cloudevents`, `reconcile`, `hostile`). A fixture is a body
 * file; a binary-mode CloudEvent also has a sidecar `<name>.headers.json`
 * holding its headers in the FDK's form (canonical names, arrays of values).
 * Unit tests and the replay CLI read the same files.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { InvocationHeaders } from '../../src/event';

/** Absolute path of the event fixtures directory. */
export const EVENT_FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'events');

const HEADERS_SUFFIX = '.headers.json';

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

/** Resolves a fixture path, refusing one that would escape the fixtures directory. */
function resolveFixturePath(relativePath: string): string {
  const resolved = path.resolve(EVENT_FIXTURES_DIR, relativePath);
  if (resolved !== EVENT_FIXTURES_DIR && !resolved.startsWith(EVENT_FIXTURES_DIR + path.sep)) {
    throw new Error(`fixture path ${JSON.stringify(relativePath)} is outside ${EVENT_FIXTURES_DIR}`);
  }
  return resolved;
}
