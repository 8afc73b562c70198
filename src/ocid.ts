/**
 * OCID validation. An OCID has the form
 * `ocid1.<resource-type>.<realm>.[region][.future-use].<unique-id>`.
 * The pattern admits only lower-case letters, digits, dots and hyphens, so an
 * OCID that passes can be placed in a URL path or query without escaping and
 * can never carry `/`, `?`, `#`, `%` or white space into a request.
 */

/** The resource types this project reads or writes. */
export type OcidType = 'instance' | 'nodepool' | 'cluster' | 'compartment' | 'tenancy';

/** Longest OCID accepted; real OCIDs are well under this. */
export const MAX_OCID_LENGTH = 255;

const OCID_PATTERN = /^ocid1\.([a-z0-9]+)\.[a-z0-9]+\.[a-z0-9-]*(?:\.[a-z0-9-]+)?\.[a-z0-9]{1,200}$/;

/** True when `value` is a well-formed OCID of the given resource type. */
export function isOcid(value: unknown, type: OcidType): value is string {
  if (typeof value !== 'string' || value.length > MAX_OCID_LENGTH) return false;
  const match = OCID_PATTERN.exec(value);
  return match !== null && match[1] === type;
}

/** The resource type of a well-formed OCID, or undefined when `value` is not one. */
export function ocidType(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_OCID_LENGTH) return undefined;
  return OCID_PATTERN.exec(value)?.[1];
}
