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
 * A family not in this table is answered "unknown" rather than guessed.
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

/** The resource type that covers every other. */
export const ALL_RESOURCES = 'all-resources';

/**
 * Whether a statement on `granted` covers `asked` (an individual type or a
 * family, in which case every member must be covered): `'unknown'` when
 * `granted` is a family this table does not hold.
 */
export function resourceTypeCovers(granted: string, asked: string): boolean | 'unknown' {
  const grantedType = granted.toLowerCase();
  const askedType = asked.toLowerCase();
  if (grantedType === ALL_RESOURCES || grantedType === askedType) return true;
  if (askedType === ALL_RESOURCES) return false;
  const members = RESOURCE_FAMILIES[grantedType];
  if (members === undefined) return grantedType.endsWith('-family') ? 'unknown' : false;
  const askedMembers = RESOURCE_FAMILIES[askedType] ?? [askedType];
  return askedMembers.every((member) => members.includes(member));
}
