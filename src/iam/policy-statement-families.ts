/**
 * The aggregate resource types ("families") this project asks about, and the
 * individual types each covers. `all-resources` covers every type.
 *
 * Sources:
 * - instance-family: Oracle docs "Details for the Core Services", section
 *   "instance-family Aggregate Resource-Type"
 *   (https://docs.oracle.com/iaas/Content/Identity/Reference/corepolicyreference.htm);
 * - cluster-family: Oracle docs "Details for Kubernetes Engine", section
 *   "Resource-Types" (https://docs.oracle.com/iaas/Content/Identity/Reference/contengpolicyreference.htm);
 * - compute-management-family: the same Core Services page;
 * - functions-family: Oracle docs "Details for Functions", section
 *   "Resource-Types" (https://docs.oracle.com/iaas/Content/Identity/Reference/functionspolicyreference.htm).
 *
 * A family not in this table is answered "unknown" rather than guessed,
 * unless it is one of {@link OTHER_FAMILIES} and the type asked about is one
 * whose families are all known ({@link FAMILIES_OF_TYPE}).
 */
export const RESOURCE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  'instance-family': [
    'app-catalog-listing',
    'console-histories',
    'instances',
    'instance-console-connection',
    'instance-images',
    'volume-attachments',
  ],
  'cluster-family': [
    'clusters',
    'cluster-node-pools',
    'cluster-pod-shapes',
    'cluster-virtualnode-pools',
    'cluster-work-requests',
    'cluster-workload-mappings',
  ],
  'compute-management-family': ['instance-configurations', 'instance-pools', 'cluster-networks'],
  'functions-family': ['fn-app', 'fn-function', 'fn-invocation'],
};

/**
 * Families documented for other services, whose members are not listed
 * here: each covers only its own service's types. Sources: Oracle docs
 * "Details for the Core Services" (virtual-network-family, volume-family),
 * "Details for Object Storage" (object-family), "Details for the Database
 * Service" (database-family), "Details for Autonomous Database"
 * (autonomous-database-family), "Details for File Storage" (file-family),
 * "Details for Logging" (logging-family), "Details for Notifications"
 * (ons-family), "Details for Streaming" (stream-family), "Details for
 * DevOps" (devops-family), "Details for Data Science" (data-science-family),
 * "Details for API Gateway" (api-gateway-family), "Details for MySQL
 * HeatWave" (mysql-family), "Details for NoSQL" (nosql-family), "Details for
 * Email Delivery" (email-family), under
 * https://docs.oracle.com/iaas/Content/Identity/Reference/policyreference.htm.
 */
export const OTHER_FAMILIES: ReadonlySet<string> = new Set([
  'virtual-network-family',
  'volume-family',
  'object-family',
  'database-family',
  'autonomous-database-family',
  'file-family',
  'logging-family',
  'ons-family',
  'stream-family',
  'devops-family',
  'data-science-family',
  'api-gateway-family',
  'mysql-family',
  'nosql-family',
  'email-family',
]);

/**
 * Types whose every covering family is known: tag-namespaces belong to
 * Tagging, which documents no family ("Details for Tagging"), and instances
 * only to instance-family. Any family outside these lists does not cover them.
 */
export const FAMILIES_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  'tag-namespaces': [],
  instances: ['instance-family'],
};

/** The resource type that covers every other. */
export const ALL_RESOURCES = 'all-resources';

/**
 * Whether a statement on `granted` covers `asked` (an individual type or a
 * family, in which case every member must be covered): `'unknown'` when
 * `granted` is a family this table does not hold and may hold `asked`.
 */
export function resourceTypeCovers(granted: string, asked: string): boolean | 'unknown' {
  const grantedType = granted.toLowerCase();
  const askedType = asked.toLowerCase();
  if (grantedType === ALL_RESOURCES || grantedType === askedType) return true;
  if (askedType === ALL_RESOURCES) return false;
  const members = RESOURCE_FAMILIES[grantedType];
  const askedMembers = RESOURCE_FAMILIES[askedType] ?? [askedType];
  if (members === undefined) {
    if (!grantedType.endsWith('-family')) return false;
    const knownElsewhere = OTHER_FAMILIES.has(grantedType) && askedMembers.every((member) => FAMILIES_OF_TYPE[member] !== undefined);
    return knownElsewhere ? false : 'unknown';
  }
  return askedMembers.every((member) => members.includes(member));
}
