import { ocidType } from '../../ocid';
import { invalidParameter, missingParameter } from './api-error';

/** Validates query parameters: unknown or repeated ones are errors, as a typo there would otherwise be silently ignored. */
export class QueryReader {
  constructor(private readonly params: URLSearchParams) {}

  /** Rejects any parameter not in `names`, and any repeated one not in `repeatable`. */
  allowOnly(names: readonly string[], repeatable: readonly string[] = []): void {
    for (const name of new Set(this.params.keys())) {
      if (!names.includes(name)) throw invalidParameter(`Unknown query parameter: ${name}`);
      if (this.params.getAll(name).length > 1 && !repeatable.includes(name))
        throw invalidParameter(`Query parameter ${name} given more than once`);
    }
  }

  optional(name: string): string | undefined {
    const value = this.params.get(name);
    if (value === null) return undefined;
    if (value.length === 0) throw invalidParameter(`Query parameter ${name} is empty`);
    return value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw missingParameter(name);
    return value;
  }

  /** The `compartmentId` every List operation requires: a compartment or tenancy OCID. */
  compartmentId(): string {
    const value = this.required('compartmentId');
    const type = ocidType(value);
    if (type !== 'compartment' && type !== 'tenancy') throw invalidParameter(`Invalid compartmentId: ${value}`);
    return value;
  }

  optionalOcid(name: string, type: string): string | undefined {
    const value = this.optional(name);
    if (value !== undefined && ocidType(value) !== type) throw invalidParameter(`Invalid ${name}: ${value}`);
    return value;
  }

  /** Every value of `name`, each checked against `allowed`. */
  enumValues(name: string, allowed: readonly string[]): string[] {
    const values = this.params.getAll(name);
    for (const value of values) {
      if (!allowed.includes(value)) throw invalidParameter(`Invalid ${name}: ${value} (expected one of ${allowed.join(', ')})`);
    }
    return values;
  }

  limit(): number | undefined {
    const value = this.optional('limit');
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 1000)
      throw invalidParameter(`Invalid limit: ${value} (expected 1..1000)`);
    return Number(value);
  }
}
