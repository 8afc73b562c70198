import { LAUNCH_EVENT_TYPE } from '../../src/event/event-types';
import { conditionMatches } from '../../src/iam/events-condition';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { APPS, FUNCTION_ID, healthyWorld, result, runDoctorOver, TENANCY, WORKERS } from '../helpers/doctor-world';

const INSTANCES = `events.instances.${WORKERS}`;
const INSTANCE_RULE = 'ocid1.eventrule.oc1..instances';

describe('doctor: Events rules that could not be read', () => {
  it('is unknown, naming read cloudevents-rules, when the delivering rule cannot be read', async () => {
    const cloud = new MemoryAccessCloud(healthyWorld());
    cloud.failures.set(`GetRule ${INSTANCE_RULE}`, notAuthorized('GetRule', INSTANCE_RULE));

    const { checks, exitCode } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES)).toMatchObject({ status: 'unknown', grant: 'read cloudevents-rules in tenancy' });
    expect(exitCode).toBe(1);
  });

  it('says a disabled rule delivers nothing, whatever its unread actions', async () => {
    const world = healthyWorld();
    world.rules = world.rules.map((rule) => (rule.id === INSTANCE_RULE ? { ...rule, isEnabled: false } : rule));
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`GetRule ${INSTANCE_RULE}`, notAuthorized('GetRule', INSTANCE_RULE));

    const { checks } = await runDoctorOver(cloud);

    const instances = result(checks, INSTANCES);
    expect(instances.status).toBe('fail');
    expect(instances.found).not.toContain('may be delivered');
    expect(instances.found).toContain('no enabled rule delivers launchinstance.end');
  });

  it('is unknown when a rule answers 404 to GetRule, which OCI also answers when the reader may not read it', async () => {
    const world = healthyWorld();
    const cloud = new MemoryAccessCloud(world);
    const ports = cloud.ports();
    const answering404 = {
      ...ports,
      events: { ...ports.events, getRule: async (id: string) => (id === INSTANCE_RULE ? undefined : ports.events.getRule(id)) },
    };
    cloud.ports = () => answering404;

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES)).toMatchObject({ status: 'unknown', grant: 'read cloudevents-rules in tenancy' });
  });

  it('is unknown, naming inspect compartments, when a rule in an ancestor applies only through a compartment chain not read', async () => {
    const world = healthyWorld();
    world.rules = world.rules.map((rule) => (rule.id === INSTANCE_RULE ? { ...rule, compartmentId: APPS } : rule));
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListCompartments ${TENANCY}`, notAuthorized('ListCompartments', TENANCY));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES)).toMatchObject({
      status: 'unknown',
      grant: expect.stringContaining('inspect compartments in tenancy'),
    });
  });

  it('is unknown, not a failure, when no rule was found and the ancestors could not be known', async () => {
    const world = healthyWorld();
    world.rules = world.rules.filter((rule) => rule.id !== INSTANCE_RULE);
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListCompartments ${TENANCY}`, notAuthorized('ListCompartments', TENANCY));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES)).toMatchObject({
      status: 'unknown',
      grant: expect.stringContaining('inspect compartments in tenancy'),
    });
  });

  it('is unknown, not a failure, when the only rule read is disabled and an ancestor could not be listed', async () => {
    const world = healthyWorld();
    world.rules = world.rules.map((rule) => (rule.id === INSTANCE_RULE ? { ...rule, isEnabled: false } : rule));
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set(`ListRules ${APPS}`, notAuthorized('ListRules', APPS));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES)).toMatchObject({ status: 'unknown', grant: `inspect cloudevents-rules in compartment id ${APPS}` });
  });

  it('still says ok when another rule delivers, though one rule could not be read', async () => {
    const world = healthyWorld();
    const [first] = world.rules;
    if (first === undefined) throw new Error('the healthy world has rules');
    world.rules.push({ ...structuredClone(first), id: 'ocid1.eventrule.oc1..unreadable', displayName: 'unreadable' });
    const cloud = new MemoryAccessCloud(world);
    cloud.failures.set('GetRule ocid1.eventrule.oc1..unreadable', notAuthorized('GetRule', 'ocid1.eventrule.oc1..unreadable'));

    const { checks } = await runDoctorOver(cloud);

    expect(result(checks, INSTANCES).status).toBe('ok');
  });
});

describe("doctor: a rule's actions", () => {
  it('is ok when an enabled action targets the function after a disabled one', async () => {
    const world = healthyWorld();
    world.rules = world.rules.map((rule) => ({
      ...rule,
      actions: [
        { actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: false },
        { actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true },
      ],
    }));

    const { checks } = await runDoctorOver(new MemoryAccessCloud(world));

    expect(result(checks, INSTANCES).status).toBe('ok');
    expect(result(checks, `events.pools.${APPS}`).status).toBe('ok');
  });

  it('is ok when the function is the second action, after one for another function', async () => {
    const world = healthyWorld();
    world.rules = world.rules.map((rule) => ({
      ...rule,
      actions: [
        { actionType: 'FAAS', functionId: 'ocid1.fnfunc.oc1.iad.other', isEnabled: true },
        { actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: true },
      ],
    }));

    const { checks } = await runDoctorOver(new MemoryAccessCloud(world));

    expect(result(checks, INSTANCES).status).toBe('ok');
  });

  it('fails when every action that targets the function is disabled', async () => {
    const world = healthyWorld();
    world.rules = world.rules.map((rule) => ({
      ...rule,
      actions: [
        { actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: false },
        { actionType: 'FAAS', functionId: FUNCTION_ID, isEnabled: false },
      ],
    }));

    const { checks } = await runDoctorOver(new MemoryAccessCloud(world));

    expect(result(checks, INSTANCES)).toMatchObject({ status: 'fail', found: expect.stringContaining('which is disabled') });
  });
});

describe('OCI Events conditions: letter case', () => {
  it('cannot tell whether a value that differs from the event only in letter case matches', () => {
    const condition = JSON.stringify({ eventType: [LAUNCH_EVENT_TYPE.toUpperCase()], data: { compartmentId: [WORKERS] } });

    const { answer } = conditionMatches(condition, LAUNCH_EVENT_TYPE, WORKERS);

    expect(answer).toBe('unknown');
  });

  it('matches a wildcard that differs only in the letter case of its fixed parts as unknown, and an exact one as a match', () => {
    const upper = JSON.stringify({ eventType: ['COM.ORACLECLOUD.COMPUTEAPI.*'] });
    const exact = JSON.stringify({ eventType: ['com.oraclecloud.computeapi.*'] });

    expect(conditionMatches(upper, LAUNCH_EVENT_TYPE, WORKERS).answer).toBe('unknown');
    expect(conditionMatches(exact, LAUNCH_EVENT_TYPE, WORKERS).answer).toBe(true);
  });
});
