/**
 * The reconcile request: `{"action":"reconcile","compartmentIds":[…]}` with
 * optional `poolCompartmentIds`, `instanceCompartmentIds` (each defaulting
 * to `compartmentIds`), `apply`, `prune` and `resume`. It is not a CloudEvent; it is told
 * apart from one by its `action` key, and every other key is refused.
 */
import { isCompartmentOcid } from './compartment-ocid';
import { own, type JsonObject } from './json';
import { describeKind, describeOcidMismatch, quote, rejected, type RejectedInput } from './rejection';

/** Most compartments one reconcile request may name. */
export const MAX_RECONCILE_COMPARTMENTS = 100;

/** Longest accepted reconcile `resume` token. */
export const MAX_RESUME_LENGTH = 4096;

/** A request to reconcile the tags of every node in the named compartments. */
export interface ReconcileRequest {
  readonly kind: 'reconcile';
  /** Every compartment named, pool and instance compartments alike. */
  readonly compartmentIds: readonly string[];
  /** Where the node pools are listed (least privilege grants read cluster-family only there). */
  readonly poolCompartmentIds: readonly string[];
  /** Where the instances are listed. */
  readonly instanceCompartmentIds: readonly string[];
  readonly apply: boolean;
  readonly prune: boolean;
  readonly resume?: string;
}

const RECONCILE_KEYS: ReadonlySet<string> = new Set([
  'action',
  'compartmentIds',
  'poolCompartmentIds',
  'instanceCompartmentIds',
  'apply',
  'prune',
  'resume',
]);
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Validates a JSON object that has an `action` key as a reconcile request.
 * Repeated compartment OCIDs are kept once, in their first order; `apply`
 * and `prune` default to false.
 *
 * @returns a frozen request, or the rejection naming the first bad key.
 */
export function parseReconcileRequest(request: JsonObject): ReconcileRequest | RejectedInput {
  const action = own(request, 'action');
  if (action !== 'reconcile') return rejected(`action ${quote(action)} is not supported; expected "reconcile"`);
  for (const key of Object.keys(request)) {
    if (!RECONCILE_KEYS.has(key)) return rejected(`reconcile request has an unknown key ${quote(key)}`);
  }

  const lists: Record<string, readonly string[] | undefined> = {};
  for (const key of ['compartmentIds', 'poolCompartmentIds', 'instanceCompartmentIds']) {
    const value = own(request, key);
    if (value === undefined) continue;
    const list = compartmentList(key, value);
    if (!Array.isArray(list)) return list as RejectedInput;
    lists[key] = list;
  }
  const compartmentIds = lists['compartmentIds'];
  const poolCompartmentIds = lists['poolCompartmentIds'] ?? compartmentIds;
  const instanceCompartmentIds = lists['instanceCompartmentIds'] ?? compartmentIds;
  if (poolCompartmentIds === undefined || instanceCompartmentIds === undefined) {
    return rejected('compartmentIds is missing');
  }
  const unique = new Set([...(compartmentIds ?? []), ...poolCompartmentIds, ...instanceCompartmentIds]);

  const apply = own(request, 'apply') ?? false;
  if (typeof apply !== 'boolean') return rejected(`apply is ${describeKind(apply)}, not a boolean`);
  const prune = own(request, 'prune') ?? false;
  if (typeof prune !== 'boolean') return rejected(`prune is ${describeKind(prune)}, not a boolean`);

  const resume = own(request, 'resume');
  if (resume !== undefined) {
    if (typeof resume !== 'string') return rejected(`resume is ${describeKind(resume)}, not a string`);
    if (resume.length === 0) return rejected('resume is empty');
    if (resume.length > MAX_RESUME_LENGTH) return rejected(`resume is longer than ${MAX_RESUME_LENGTH} characters`);
    if (!PRINTABLE_ASCII.test(resume)) return rejected('resume contains characters that are not printable ASCII');
  }

  const base = {
    kind: 'reconcile' as const,
    compartmentIds: Object.freeze([...unique]),
    poolCompartmentIds,
    instanceCompartmentIds,
    apply,
    prune,
  };
  return Object.freeze(resume === undefined ? base : { ...base, resume });
}

/** A non-empty list of compartment OCIDs within the limit, repeats kept once; or the rejection naming the key. */
function compartmentList(key: string, value: unknown): readonly string[] | RejectedInput {
  if (!Array.isArray(value)) return rejected(`${key} is ${describeKind(value)}, not an array`);
  if (value.length === 0) return rejected(`${key} is empty`);
  if (value.length > MAX_RECONCILE_COMPARTMENTS) {
    return rejected(`${key} has ${value.length} entries, over the limit of ${MAX_RECONCILE_COMPARTMENTS}`);
  }
  const unique = new Set<string>();
  for (const [index, id] of value.entries()) {
    if (!isCompartmentOcid(id)) return rejected(describeOcidMismatch(`${key}[${index}]`, id, 'a compartment or tenancy'));
    unique.add(id);
  }
  return Object.freeze([...unique]);
}
