/**
 * doctor's tag checks: the tag namespace exists and is not retired, and so
 * is each key the function writes (the pool key and, when configured, the
 * cluster key). A retired key makes every write of it fail. Reactivating a
 * namespace leaves its keys retired (oci-cli's `iam tag-namespace
 * reactivate` help), so each retired key gets its own `iam tag reactivate`.
 */
import { check, unknownCheck, type CheckResult, type DoctorFacts } from './doctor-model';
import { shellCommand } from './quote';

const NAMESPACE_TITLE = 'tag namespace';
const DESCRIPTION = 'oke-nodepool-tagger';

/** The tag namespace and key checks. */
export function checkTags(facts: DoctorFacts): CheckResult[] {
  const { settings } = facts;
  const keyNames = [settings.tagName, ...(settings.clusterTagName === undefined ? [] : [settings.clusterTagName])];
  const tags = facts.tags;
  if (!tags.ok) {
    const { unread } = tags;
    return [
      unknownCheck('tags.namespace', NAMESPACE_TITLE, [unread]),
      ...keyNames.map((key) => unknownCheck(`tags.key.${key}`, `tag key ${key}`, [unread])),
    ];
  }
  const { namespace, keys } = tags.value;
  const tenancy = facts.iam.tree.tenancyId;
  if (namespace === undefined) {
    return [
      check(
        'tags.namespace',
        NAMESPACE_TITLE,
        'fail',
        `no tag namespace ${settings.tagNamespace} in the tenancy`,
        shellCommand([
          'oci',
          'iam',
          'tag-namespace',
          'create',
          '--compartment-id',
          tenancy,
          '--name',
          settings.tagNamespace,
          '--description',
          DESCRIPTION,
        ]),
      ),
      ...keyNames.map((key) =>
        check(
          `tags.key.${key}`,
          `tag key ${key}`,
          'fail',
          `tag namespace ${settings.tagNamespace} is missing, so is its key ${key}`,
          'create the namespace, then the key',
        ),
      ),
    ];
  }
  const results: CheckResult[] = [
    namespace.isRetired
      ? check(
          'tags.namespace',
          NAMESPACE_TITLE,
          'fail',
          `tag namespace ${namespace.name} (${namespace.id}) is retired: no tag of it can be written`,
          shellCommand(['oci', 'iam', 'tag-namespace', 'reactivate', '--tag-namespace-id', namespace.id]),
        )
      : check('tags.namespace', NAMESPACE_TITLE, 'ok', `tag namespace ${namespace.name} (${namespace.id}) is active`),
  ];
  for (const key of keyNames) {
    const id = `tags.key.${key}`;
    const title = `tag key ${key}`;
    if (!keys.ok) {
      results.push(unknownCheck(id, title, [keys.unread]));
      continue;
    }
    const found = keys.value.find((candidate) => candidate.name.toLowerCase() === key.toLowerCase());
    if (found === undefined)
      results.push(
        check(
          id,
          title,
          'fail',
          `no key ${key} in tag namespace ${namespace.name}`,
          shellCommand(['oci', 'iam', 'tag', 'create', '--tag-namespace-id', namespace.id, '--name', key, '--description', DESCRIPTION]),
        ),
      );
    else if (found.isRetired)
      results.push(
        check(
          id,
          title,
          'fail',
          `key ${found.name} of tag namespace ${namespace.name} is retired: writing it fails`,
          shellCommand(['oci', 'iam', 'tag', 'reactivate', '--tag-namespace-id', namespace.id, '--tag-name', found.name]),
        ),
      );
    else results.push(check(id, title, 'ok', `key ${found.name} exists and is active`));
  }
  return results;
}
