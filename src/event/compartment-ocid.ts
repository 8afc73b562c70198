/** The compartment OCIDs an event or a reconcile request may name. */
import { isOcid } from '../ocid';

/** True for a compartment OCID or a tenancy OCID: the root compartment's OCID is the tenancy's. */
export function isCompartmentOcid(value: unknown): value is string {
  return isOcid(value, 'compartment') || isOcid(value, 'tenancy');
}
