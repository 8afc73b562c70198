// Worlds on the fake OCI API, and the events the functions receive about them.
import { randomUUID } from 'node:crypto';

/** Latency the fake adds to every request. */
export const LATENCY_MS = 20;

/** The fake's token bucket where events arrive in bursts (the burst, pool-event and echoes sections). */
export const EVENT_RATE_LIMIT = { requestsPerSecond: 50, burst: 20 };

/** Starts a fake OCI API serving `world`, checking signatures against the bench's credentials. */
export async function newApi(ctx, world, extra = {}) {
  const api = new ctx.h.FakeOciApi({ world, trustedKeys: ctx.credentials.trustedKeys, latencyMs: LATENCY_MS, ...extra });
  await api.start();
  return api;
}

/** An OCI Events launch event (CloudEvents 0.1) about `instanceId`, of `eventType`. */
export function launchEvent(ctx, instanceId, eventType = ctx.h.LAUNCH_EVENT_TYPE) {
  return ociEvent(ctx, instanceId, eventType, 'ComputeApi');
}

/** An OCI Events event (CloudEvents 0.1) of `eventType` from `source`, whose `data.resourceId` is `resourceId`. */
export function ociEvent(ctx, resourceId, eventType, source) {
  const compartmentId = ctx.h.TEST_COMPARTMENT_ID;
  return JSON.stringify({
    eventType,
    cloudEventsVersion: '0.1',
    eventTypeVersion: '2.0',
    source,
    eventID: randomUUID(),
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    extensions: { compartmentId },
    data: {
      compartmentId,
      compartmentName: 'bench',
      resourceName: 'bench-node',
      resourceId,
      availabilityDomain: 'Uocm:US-ASHBURN-AD-1',
      freeformTags: {},
      definedTags: {},
      additionalDetails: { shape: 'VM.Standard.E4.Flex', type: 'CustomerVmi' },
    },
  });
}

/** An event of a type the functions do not act on: answered without any API call. */
export const ignoredEvent = (ctx) =>
  launchEvent(ctx, ctx.h.fakeOcid('instance', 'bench/ignored'), 'com.oraclecloud.computeapi.terminateinstance.end');

/**
 * A world of `pools` node pools (one node each) in one cluster, plus fresh
 * nodes added to chosen pools and self-managed instances without oke-* metadata.
 */
export function makeWorld(ctx, pools, { seed = `pools-${pools}`, nonOke = 0 } = {}) {
  const { h } = ctx;
  const world = h.buildWorld({ pools, nodesPerPool: 1, selfManagedInstances: nonOke, seed });
  let added = 0;
  const addNode = (poolIndex, label) => {
    const pool = world.nodePools[poolIndex];
    const template = world.instances.find((instance) => instance.id === pool.nodes[0].id);
    added += 1;
    const id = h.fakeOcid('instance', `${seed}/${label}/${added}`);
    const instance = JSON.parse(JSON.stringify(template));
    Object.assign(instance, { id, displayName: `${label}-${added}` });
    instance.metadata['oke-slot'] = String(pool.nodes.length);
    world.instances.push(instance);
    pool.nodes.push({ id, name: `${label}-${added}`, lifecycleState: 'ACTIVE', availabilityDomain: 'Uocm:US-ASHBURN-AD-1' });
    return { id, poolIndex, poolName: pool.name };
  };
  const selfManaged = () =>
    world.instances
      .filter((instance) => !Object.keys(instance.metadata).some((key) => key.startsWith('oke-')))
      .map((instance) => instance.id);
  return { world, addNode, selfManaged };
}

/** Sets our pool tag (and, with `clusterTagName`, the cluster tag) on `instance` to `poolName` (and `clusterName`). */
export function setOurTags(ctx, instance, poolName, { clusterTagName, clusterName } = {}) {
  const { NODEPOOL_TAG_NAMESPACE: namespace, NODEPOOL_TAG_KEY: key } = ctx.h;
  instance.definedTags[namespace] = { [key]: poolName, ...(clusterTagName ? { [clusterTagName]: clusterName } : {}) };
}

/** API calls in a fake's call log: in all, by operation, and those answered 429 (in all and by operation). */
export function countCalls(calls) {
  const byOp = {};
  const throttledByOp = {};
  for (const call of calls) {
    byOp[call.operation] = (byOp[call.operation] ?? 0) + 1;
    if (call.status === 429) throttledByOp[call.operation] = (throttledByOp[call.operation] ?? 0) + 1;
  }
  const throttled = Object.values(throttledByOp).reduce((sum, count) => sum + count, 0);
  /** Calls of `operation` not answered 429: the requests the code needed, when 429s are the only retries. */
  const answered = (operation) => (byOp[operation] ?? 0) - (throttledByOp[operation] ?? 0);
  return { total: calls.length, byOp, throttled, throttledByOp, answered };
}
