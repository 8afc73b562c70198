/**
 * The built function over a fake OCI API, for the enforcement contract tests:
 * one fake and one `dist/func.js` process per describe block (the function
 * keeps its memory of its own fixes across calls, as a warm instance does),
 * and the event bodies OCI Events delivers for the types it enforces on.
 */
import { UPDATE_INSTANCE_EVENT_TYPE, UPDATE_NODE_POOL_EVENT_TYPE } from '../../src/event/event-types';
import { FakeOciApi, type FakeOciApiOptions } from '../../src/local/fake-oci-api';
import type { World } from '../../src/local/world';
import { startFunction, type FnProcess } from './fn-process';
import { createTestCredentials, type TestCredentials } from './oci-credentials';

export interface FunctionOverFake {
  readonly api: FakeOciApi;
  readonly fn: FnProcess;
}

/**
 * Registers the hooks of one describe block: before it, a fake serving
 * `world()` (with `fake`'s options; pages of 5 by default) and the function
 * with `config` (its func.yaml config keys) pointed at it with resource-principal credentials; before each test, an
 * empty call log and no faults; after the block, both stopped. Read the
 * returned value's fields inside tests only.
 */
export function useFunctionOverFake(
  world: () => World,
  config: Readonly<Record<string, string>> = {},
  fake: Partial<Omit<FakeOciApiOptions, 'world' | 'trustedKeys'>> = {},
): FunctionOverFake {
  let credentials: TestCredentials | undefined;
  let api: FakeOciApi | undefined;
  let fn: FnProcess | undefined;

  beforeAll(async () => {
    credentials = await createTestCredentials();
    api = new FakeOciApi({ pageSize: 5, ...fake, world: world(), trustedKeys: credentials.trustedKeys });
    await api.start();
    fn = await startFunction({
      ...credentials.resourcePrincipalEnv,
      compute_endpoint: api.url,
      containerengine_endpoint: api.url,
      membership_wait_seconds: '0',
      ...config,
    });
  });
  afterAll(async () => {
    await fn?.stop();
    await api?.stop();
    await credentials?.cleanup();
  });
  beforeEach(() => {
    api?.resetCalls();
    api?.faults.clear();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('function over fake: started in beforeAll; read it inside a test');
    return value;
  };
  return {
    get api() {
      return ready(api);
    },
    get fn() {
      return ready(fn);
    },
  };
}

let eventCounter = 0;

/** An OCI Events envelope (cloudEventsVersion 0.1) of `eventType` about `resourceId`, as Events delivers it to a function. */
export function ociEvent(eventType: string, resourceId: string, compartmentId: string): string {
  eventCounter += 1;
  return JSON.stringify({
    eventType,
    cloudEventsVersion: '0.1',
    eventTypeVersion: '2.0',
    source: eventType.startsWith('com.oraclecloud.clustersapi.') ? 'ContainerEngine' : 'ComputeApi',
    eventID: `evt-${eventCounter}-${resourceId.slice(-8)}`,
    eventTime: new Date().toISOString(),
    contentType: 'application/json',
    extensions: { compartmentId },
    data: { compartmentId, compartmentName: 'oke-workers', resourceId, availabilityDomain: 'Uocm:US-ASHBURN-AD-1' },
  });
}

/** The `updateinstance` event for `instanceId` (a change by anyone, our own writes included). */
export function instanceUpdated(instanceId: string, compartmentId: string): string {
  return ociEvent(UPDATE_INSTANCE_EVENT_TYPE, instanceId, compartmentId);
}

/** The `updatenodepool.end` event for `nodePoolId` (a rename, or a resize by the autoscaler). */
export function nodePoolUpdated(nodePoolId: string, compartmentId: string): string {
  return ociEvent(UPDATE_NODE_POOL_EVENT_TYPE, nodePoolId, compartmentId);
}

/** A function-mode reconcile request over `compartmentIds`. */
export function reconcileRequest(compartmentIds: readonly string[], extra: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ action: 'reconcile', compartmentIds, ...extra });
}

/** The function's log lines with `msg`, once the lines written so far have been read. */
export async function logLines(fn: FnProcess, msg: string): Promise<Record<string, unknown>[]> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return fn.logs().filter((line) => line.msg === msg);
}
