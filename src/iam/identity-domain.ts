/**
 * The Default identity domain, spelled once. A policy subject without a
 * domain prefix names a group of the Default domain (Oracle docs
 * "Subjects": the statement is read "as though it was written as
 * Default/<group_name>"), and OCI compares domain names without regard to
 * case, so `default/x` and `'Default'/'x'` name the same group.
 */

/** The Default domain's name, as OCI shows it. */
export const DEFAULT_DOMAIN = 'Default';

/** Whether `domain` names the Default domain; `undefined` (no domain written) does. */
export function isDefaultDomain(domain: string | undefined): boolean {
  return (domain ?? DEFAULT_DOMAIN).toLowerCase() === DEFAULT_DOMAIN.toLowerCase();
}

/** Whether two domain names name the same domain, `undefined` standing for the Default domain. */
export function sameDomain(a: string | undefined, b: string | undefined): boolean {
  return (a ?? DEFAULT_DOMAIN).toLowerCase() === (b ?? DEFAULT_DOMAIN).toLowerCase();
}
