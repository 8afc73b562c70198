/**
 * The reader every world-file parser shares: it knows the file's name, so
 * each error says which file and which field is wrong.
 */
import { WorldFileError } from '../errors';
import { ocidType } from '../ocid';
import type { WorldDefinedTags } from './world-types';

/** A JSON object as read from a world file. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
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

/** A value as an error message names it. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
