/**
 * World files: the state the fake OCI API serves, written in the REST API's
 * own JSON shapes so a world can be assembled from real API output. This
 * module reads and validates them; the shapes are in `world-types.ts`.
 *
 * Like all of `src/local` it imports no `oci-*` module (eslint enforces it):
 * the fake is an independent stand-in for OCI, not a mirror of the SDK's
 * models.
 */
import { readFile } from 'node:fs/promises';
import { types } from 'node:util';
import { WorldFileError } from '../errors';
import { ocidType } from '../ocid';
import { findJsonSyntaxProblem } from './json-syntax';
import { IDENTITY_KEYS, parseIdentityKeys, parseTagNamespaces } from './world-identity';
import { parseWorldOperations } from './world-operations';
import { CLUSTER_STATES, INSTANCE_STATES, NODE_POOL_STATES, NODE_STATES } from './lifecycle-states';
import type { World, WorldCluster, WorldDefinedTags, WorldInstance, WorldNode, WorldNodePool } from './world-types';

export type { World, WorldCluster, WorldDefinedTags, WorldInstance, WorldNode, WorldNodePool, WorldTagNamespace } from './world-types';

const TOP_LEVEL_KEYS = new Set([
  'clusters',
  'nodePools',
  'instances',
  'tagNamespaces',
  'description',
  ...IDENTITY_KEYS,
  'rules',
  'functions',
  'schedules',
]);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects the source name so every error says which file and which field is wrong. */
export class WorldReader {
  constructor(private readonly source: string) {}

  fail(field: string, problem: string): never {
    throw new WorldFileError(this.source, `${field} ${problem}`);
  }

  object(value: unknown, field: string): JsonObject {
    if (!isObject(value)) this.fail(field, `must be an object, got ${describe(value)}`);
    return value;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, `must be an array, got ${describe(value)}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(field, `must be a non-empty string, got ${describe(value)}`);
    return value;
  }

  ocid(value: unknown, field: string, type: string): string {
    const text = this.string(value, field);
    if (ocidType(text) !== type) this.fail(field, `must be an OCID of type ${type}, got ${JSON.stringify(text)}`);
    return text;
  }

  compartmentOcid(value: unknown, field: string): string {
    const text = this.string(value, field);
    const type = ocidType(text);
    if (type !== 'compartment' && type !== 'tenancy') {
      this.fail(field, `must be a compartment or tenancy OCID, got ${JSON.stringify(text)}`);
    }
    return text;
  }

  state(value: unknown, field: string, allowed: readonly string[]): string {
    const text = this.string(value, field);
    if (!allowed.includes(text)) this.fail(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
    return text;
  }

  optionalState(record: JsonObject, field: string, path: string, allowed: readonly string[]): void {
    if (record[field] !== undefined) this.state(record[field], `${path}.${field}`, allowed);
  }

  optionalString(record: JsonObject, field: string, path: string): void {
    if (record[field] !== undefined) this.string(record[field], `${path}.${field}`);
  }

  stringMap(value: unknown, field: string): Record<string, string> {
    if (value === undefined) return {};
    const record = this.object(value, field);
    for (const [key, entry] of Object.entries(record)) {
      if (typeof entry !== 'string') this.fail(`${field}.${key}`, `must be a string, got ${describe(entry)}`);
    }
    return record as Record<string, string>;
  }

  definedTags(value: unknown, field: string): WorldDefinedTags {
    if (value === undefined) return {};
    const record = this.object(value, field);
    for (const [namespace, keys] of Object.entries(record)) this.object(keys, `${field}.${namespace}`);
    return record as WorldDefinedTags;
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}

function parseCluster(reader: WorldReader, value: unknown, path: string): WorldCluster {
  const record = reader.object(value, path);
  reader.optionalState(record, 'lifecycleState', path, CLUSTER_STATES);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'cluster'),
    name: reader.string(record['name'], `${path}.name`),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
  };
}

function parseNode(reader: WorldReader, value: unknown, path: string): WorldNode {
  const record = reader.object(value, path);
  reader.optionalState(record, 'lifecycleState', path, NODE_STATES);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'instance'),
    name: reader.string(record['name'], `${path}.name`),
  };
}

function parseNodePool(reader: WorldReader, value: unknown, path: string): WorldNodePool {
  const record = reader.object(value, path);
  reader.optionalState(record, 'lifecycleState', path, NODE_POOL_STATES);
  const nodes = record['nodes'] === undefined ? [] : reader.array(record['nodes'], `${path}.nodes`);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'nodepool'),
    name: reader.string(record['name'], `${path}.name`),
    clusterId: reader.ocid(record['clusterId'], `${path}.clusterId`, 'cluster'),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    nodes: nodes.map((node, index) => parseNode(reader, node, `${path}.nodes[${index}]`)),
  };
}

function parseInstance(reader: WorldReader, value: unknown, path: string): WorldInstance {
  const record = reader.object(value, path);
  for (const field of ['availabilityDomain', 'shape', 'region', 'timeCreated']) reader.optionalString(record, field, path);
  return {
    ...record,
    id: reader.ocid(record['id'], `${path}.id`, 'instance'),
    compartmentId: reader.compartmentOcid(record['compartmentId'], `${path}.compartmentId`),
    displayName: reader.string(record['displayName'], `${path}.displayName`),
    lifecycleState: reader.state(record['lifecycleState'], `${path}.lifecycleState`, INSTANCE_STATES),
    metadata: reader.stringMap(record['metadata'], `${path}.metadata`),
    definedTags: reader.definedTags(record['definedTags'], `${path}.definedTags`),
    freeformTags: reader.stringMap(record['freeformTags'], `${path}.freeformTags`),
  };
}

function rejectDuplicateIds(reader: WorldReader, list: readonly { id: string }[], field: string): void {
  const seen = new Set<string>();
  list.forEach((item, index) => {
    if (seen.has(item.id)) reader.fail(`${field}[${index}].id`, `repeats ${item.id}`);
    seen.add(item.id);
  });
}

/** A pool of a cluster the world does not hold could never be served consistently (GetCluster would answer 404). */
function rejectUnknownClusters(reader: WorldReader, world: World): void {
  const clusterIds = new Set(world.clusters.map((cluster) => cluster.id));
  world.nodePools.forEach((pool, index) => {
    if (!clusterIds.has(pool.clusterId))
      reader.fail(`nodePools[${index}].clusterId`, `of node pool "${pool.name}" names ${pool.clusterId}, which is not in clusters`);
  });
}

/**
 * Validates a world file's parsed JSON and returns a {@link World}.
 * `metadata`, `definedTags`, `freeformTags` and `nodes` default to empty;
 * unknown resource fields are kept. Throws a {@link WorldFileError} naming `source` and the
 * offending field (e.g. `nodePools[1].clusterId`).
 */
export function parseWorld(json: unknown, source: string): World {
  const reader = new WorldReader(source);
  const root = reader.object(json, '(root)');
  for (const key of Object.keys(root)) {
    // Unknown top-level keys are almost always typos ("nodepools"), which would otherwise load as an empty list.
    if (!TOP_LEVEL_KEYS.has(key)) reader.fail(key, `is not a world field (expected ${[...TOP_LEVEL_KEYS].join(', ')})`);
  }
  const list = (field: string): unknown[] => (root[field] === undefined ? [] : reader.array(root[field], field));
  const world: World = {
    clusters: list('clusters').map((item, index) => parseCluster(reader, item, `clusters[${index}]`)),
    nodePools: list('nodePools').map((item, index) => parseNodePool(reader, item, `nodePools[${index}]`)),
    instances: list('instances').map((item, index) => parseInstance(reader, item, `instances[${index}]`)),
    tagNamespaces: parseTagNamespaces(reader, root['tagNamespaces']),
    ...parseIdentityKeys(reader, root),
    ...parseWorldOperations(reader, root),
  };
  rejectDuplicateIds(reader, world.clusters, 'clusters');
  rejectDuplicateIds(reader, world.nodePools, 'nodePools');
  rejectDuplicateIds(reader, world.instances, 'instances');
  rejectUnknownClusters(reader, world);
  return cloneWorld(world);
}

/**
 * Reads and validates a world file. Every failure is a {@link WorldFileError}
 * naming the file: one it cannot read, bad JSON (with its line and column)
 * or a bad field.
 */
export async function loadWorldFile(path: string): Promise<World> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new WorldFileError(path, `cannot read it: ${systemErrorDetail(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The position alone, once: the parser's own message may quote the text and repeat "is not valid JSON".
    const problem = findJsonSyntaxProblem(text);
    const detail = problem ? `line ${problem.line}, column ${problem.column}: unexpected ${problem.found}` : messageOf(error);
    throw new WorldFileError(path, `not valid JSON (${detail})`);
  }
  return parseWorld(json, path);
}

/** `isNativeError` rather than `instanceof Error`: errors from Node's own modules may come from another realm (as under Jest). */
function messageOf(error: unknown): string {
  return types.isNativeError(error) ? error.message : String(error);
}

/**
 * Node's file errors read `ENOENT: no such file or directory, open 'x.json'`;
 * the code and the path would repeat what the message already says, so only
 * the description is kept.
 */
function systemErrorDetail(error: unknown): string {
  const message = messageOf(error);
  return /^[A-Z]+: (.+?), [a-z]+(?: '.*')?$/.exec(message)?.[1] ?? message;
}

/** A deep copy, so the fake's writes never reach the caller's object. */
export function cloneWorld(world: World): World {
  return structuredClone(world);
}
