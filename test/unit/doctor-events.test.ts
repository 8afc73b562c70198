import { INSTANCE_EVENT_TYPES, LAUNCH_EVENT_TYPE, UPDATE_INSTANCE_EVENT_TYPE } from '../../src/event/event-types';
import { conditionMatches } from '../../src/iam/events-condition';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { APPS, checksAfter, editStatements, healthyWorld, result, runDoctorOver, WORKERS } from '../helpers/doctor-world';

const INSTANCES = `events.instances.${WORKERS}`;
const POOLS = `events.pools.${APPS}`;

describe('OCI Events conditions', () => {
  it.each([
    ['{}', true],
    [JSON.stringify({ eventType: LAUNCH_EVENT_TYPE }), true],
    [JSON.stringify({ eventType: ['com.oraclecloud.computeapi.*'] }), true],
    [JSON.stringify({ eventType: [UPDATE_INSTANCE_EVENT_TYPE] }), false],
    [JSON.stringify({ eventType: INSTANCE_EVENT_TYPES, data: { compartmentId: WORKERS } }), true],
    [JSON.stringify({ eventType: INSTANCE_EVENT_TYPES, data: { compartmentId: [APPS] } }), false],
    [JSON.stringify({ eventType: INSTANCE_EVENT_TYPES, data: { resourceName: 'oke-*' } }), 'unknown'],
    [JSON.stringify({ source: 'computeapi' }), 'unknown'],
    ['not json', 'unknown'],
  ])('%s matches a launch in the workers compartment: %s', (condition, expected) => {
    const { answer } = conditionMatches(condition, LAUNCH_EVENT_TYPE, WORKERS);

    expect(answer).toBe(expected);
  });
});

describe('doctor: Events', () => {
  it('fails when no rule delivers the instance events, and prints the rule to create', async () => {
    const checks = await checksAfter((world) => {
      world.rules = world.rules.filter((rule) => rule.compartmentId !== WORKERS);
    });

    const instances = result(checks, INSTANCES);
    expect(instances.status).toBe('fail');
    expect(instances.found).toContain('no enabled rule delivers launchinstance.end');
    expect(instances.fix).toContain(`oci events rule create --compartment-id ${WORKERS}`);
    expect(result(checks, POOLS).status).toBe('ok');
  });

  it('fails when the only matching rule is disabled, and says how to enable it', async () => {
    const checks = await checksAfter((world) => {
      world.rules = world.rules.map((rule) => (rule.compartmentId === WORKERS ? { ...rule, isEnabled: false } : rule));
    });

    expect(result(checks, INSTANCES)).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('--rule-id ocid1.eventrule.oc1..instances --is-enabled true'),
    });
  });

  it('accepts a rule in an ancestor compartment that names the child compartment', async () => {
    const checks = await checksAfter((world) => {
      world.rules = world.rules
        .filter((rule) => rule.compartmentId !== WORKERS)
        .map((rule) => ({
          ...rule,
          condition: JSON.stringify({
            eventType: ['com.oraclecloud.computeapi.*', 'com.oraclecloud.clustersapi.*'],
            data: { compartmentId: [WORKERS, APPS] },
          }),
        }));
    });

    expect(result(checks, INSTANCES).status).toBe('ok');
    expect(result(checks, POOLS).status).toBe('ok');
    expect(result(checks, 'events.duplicates').status).toBe('ok');
  });

  it('warns when two rules deliver the same event', async () => {
    const checks = await checksAfter((world) => {
      const [first] = world.rules;
      if (first === undefined) throw new Error('the healthy world has rules');
      world.rules.push({
        ...structuredClone(first),
        id: 'ocid1.eventrule.oc1..broad',
        displayName: 'broad',
        compartmentId: APPS,
        condition: '{}',
      });
    });

    const duplicates = result(checks, 'events.duplicates');
    expect(duplicates.status).toBe('warn');
    expect(duplicates.found).toContain('launchinstance.end in root:apps:workers by broad and oke-nodepool-tagger-launch');
  });

  it('warns when the rule filters on a field it cannot evaluate', async () => {
    const checks = await checksAfter((world) => {
      world.rules = world.rules.map((rule) =>
        rule.compartmentId === WORKERS
          ? { ...rule, condition: JSON.stringify({ eventType: INSTANCE_EVENT_TYPES, data: { resourceName: 'oke-*' } }) }
          : rule,
      );
    });

    expect(result(checks, INSTANCES).status).toBe('warn');
  });

  it('ignores a rule that targets another function', async () => {
    const checks = await checksAfter((world) => {
      world.rules = world.rules.map((rule) => ({
        ...rule,
        actions: [{ actionType: 'FAAS', functionId: 'ocid1.fnfunc.oc1.iad.other', isEnabled: true }],
      }));
    });

    expect(result(checks, INSTANCES).status).toBe('fail');
    expect(result(checks, POOLS).status).toBe('fail');
  });

  it('fails when no policy lets the Events service invoke the function', async () => {
    const checks = await checksAfter((world) => editStatements(world, 'oke-nodepool-tagger-events', () => []));

    expect(result(checks, 'events.policy')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Allow service cloudEvents to use functions-family'),
    });
  });

  it('is unknown when the rules of a compartment cannot be listed, naming the grant there', async () => {
    const world = healthyWorld();
    world.rules = world.rules.filter((rule) => rule.compartmentId !== WORKERS);
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListRules ${WORKERS}`, notAuthorized('ListRules', WORKERS));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES)).toMatchObject({ status: 'unknown', grant: `inspect cloudevents-rules in compartment id ${WORKERS}` });
  });
});
