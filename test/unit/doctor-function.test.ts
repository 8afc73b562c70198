import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { checksAfter, FUNCTION_ID, healthyWorld, result, runDoctorOver } from '../helpers/doctor-world';

describe('doctor: the function', () => {
  it('fails when the function does not exist', async () => {
    const checks = await checksAfter((world) => {
      world.functions = [];
    });

    expect(result(checks, 'function.exists')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining(`GetFunction ${FUNCTION_ID} answered 404`),
    });
    expect(result(checks, 'rights.group').status).toBe('fail');
  });

  it('fails when its config names another tag key than the flags', async () => {
    const checks = await checksAfter((world) => {
      world.functions = world.functions.map((fn) => ({ ...fn, config: { ...fn.config, tag_name: 'pool' } }));
    });

    const config = result(checks, 'function.config');
    expect(config.status).toBe('fail');
    expect(config.found).toContain('tag_name is "pool", the flags say "oke-nodepool-name"');
    expect(config.fix).toContain(`oci fn function update --function-id ${FUNCTION_ID}`);
  });

  it('fails when a config key is invalid, naming the key', async () => {
    const checks = await checksAfter((world) => {
      world.functions = world.functions.map((fn) => ({ ...fn, config: { ...fn.config, tag_namespace: 'has.period' } }));
    });

    expect(result(checks, 'function.config')).toMatchObject({
      status: 'fail',
      found: expect.stringContaining('config key tag_namespace is invalid'),
    });
  });

  it('fails when the function refuses reconcile requests', async () => {
    const checks = await checksAfter((world) => {
      world.functions = world.functions.map((fn) => ({ ...fn, config: { ...fn.config, allow_reconcile: 'false' } }));
    });

    expect(result(checks, 'function.config')).toMatchObject({ status: 'fail', found: expect.stringContaining('allow_reconcile is false') });
  });

  it('is unknown when the function may not be read, naming read fn-function', async () => {
    const cloud = new MemoryAccessCloud(healthyWorld());
    cloud.failures.set(`GetFunction ${FUNCTION_ID}`, notAuthorized('GetFunction', FUNCTION_ID));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, 'function.exists')).toMatchObject({ status: 'unknown', grant: 'read fn-function in tenancy' });
  });
});
