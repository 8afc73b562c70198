import { notAuthorized } from '../helpers/memory-access-ports';
import { MemoryAccessCloud } from '../helpers/memory-access-ports';
import { checksAfter, healthyWorld, KEY, NAMESPACE_ID, result, runDoctorOver, SETTINGS, TENANCY } from '../helpers/doctor-world';

describe('doctor: tags', () => {
  it('fails when the tag namespace is missing, and says how to create it', async () => {
    const checks = await checksAfter((world) => {
      world.tagNamespaces = [];
    });

    expect(result(checks, 'tags.namespace')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('no tag namespace oke-nodepool-tags'),
    });
    expect(result(checks, 'tags.namespace').fix).toContain(`oci iam tag-namespace create --compartment-id ${TENANCY}`);
    expect(result(checks, `tags.key.${KEY}`).status).toBe('fail');
  });

  it('fails when the namespace is retired', async () => {
    const checks = await checksAfter((world) => {
      world.tagNamespaces = world.tagNamespaces.map((namespace) => ({ ...namespace, isRetired: true }));
    });

    expect(result(checks, 'tags.namespace')).toMatchObject({ status: 'fail', found: expect.stringContaining('is retired') });
    expect(result(checks, 'tags.namespace').fix).toContain(`reactivate --tag-namespace-id ${NAMESPACE_ID}`);
  });

  it('fails when the pool key is retired, and names the key to reactivate', async () => {
    const checks = await checksAfter((world) => {
      world.tagNamespaces = world.tagNamespaces.map((namespace) => ({ ...namespace, keys: [{ name: KEY, isRetired: true }] }));
    });

    expect(result(checks, 'tags.namespace').status).toBe('ok');
    expect(result(checks, `tags.key.${KEY}`)).toMatchObject({ status: 'fail', fix: expect.stringContaining(`--tag-name ${KEY}`) });
  });

  it('checks the cluster key too when one is configured, and fails when it is missing', async () => {
    const checks = await checksAfter(
      (world) => {
        world.functions = world.functions.map((fn) => ({ ...fn, config: { ...fn.config, cluster_tag_name: 'oke-cluster-name' } }));
      },
      { ...SETTINGS, clusterTagName: 'oke-cluster-name' },
    );

    expect(result(checks, 'tags.key.oke-cluster-name')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('no key oke-cluster-name'),
    });
  });

  it('is unknown when the namespaces cannot be listed, naming the read grant', async () => {
    const cloud = new MemoryAccessCloud(healthyWorld());
    cloud.failures.set(`ListTagNamespaces ${TENANCY}`, notAuthorized('ListTagNamespaces', TENANCY));

    const { checks, exitCode } = await runDoctorOver(cloud);

    expect(result(checks, 'tags.namespace')).toMatchObject({ status: 'unknown', grant: 'inspect tag-namespaces in tenancy' });
    expect(exitCode).toBe(1);
  });
});
