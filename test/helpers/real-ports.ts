/**
 * The use cases' dependencies over our real adapters: the SDK clients that
 * `createOciClients` builds (real request signing) pointed at a fake OCI API,
 * one call scope per run with the shared retry policy made fast, and the
 * function's defaults for everything else.
 */
import type { AuthenticationDetailsProvider } from 'oci-common';
import { createCallScope, DEFAULT_RETRY_POLICY, type CallScope } from '../../src/call-scope';
import { Deadline } from '../../src/deadline';
import type { FakeOciApi } from '../../src/local/fake-oci-api';
import { silentLogger } from '../../src/log';
import { createComputeAdapter, createContainerEngineAdapter } from '../../src/oci/adapters';
import { createOciClients } from '../../src/oci/clients';
import type { EnforceInstanceDeps } from '../../src/tagging/enforce-instance';
import type { EnforcePoolDeps } from '../../src/tagging/enforce-pool';
import type { ComputePort, ContainerEnginePort } from '../../src/tagging/model';
import type { ReconcileOptions } from '../../src/tagging/reconcile';
import { createTagHistory } from '../../src/tagging/tag-history';
import type { TagKeys } from '../../src/tagging/tags';
import { NODEPOOL_TAG_KEY, NODEPOOL_TAG_NAMESPACE } from './worlds';

/** The tag keys the built worlds declare. */
export const TEST_KEYS: TagKeys = Object.freeze({ tagNamespace: NODEPOOL_TAG_NAMESPACE, tagName: NODEPOOL_TAG_KEY });

/** The default membership grace (config membership_grace_minutes=30). */
export const GRACE_MS = 30 * 60_000;

export interface RealPorts {
  readonly compute: ComputePort;
  readonly containerEngine: ContainerEnginePort;
  /** What the run cost: apiCalls, retries. */
  readonly scope: CallScope;
}

/** Both ports over real SDK clients signing with `provider`, against `api`, within `seconds`. */
export function realPorts(api: FakeOciApi, provider: AuthenticationDetailsProvider, seconds = 20): RealPorts {
  const clients = createOciClients(provider, { computeEndpoint: api.url, containerEngineEndpoint: api.url });
  const scope = createCallScope({
    deadline: Deadline.inSeconds(seconds),
    logger: silentLogger,
    policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 5, maxDelayMs: 20 },
  });
  return {
    compute: createComputeAdapter(clients.compute, scope),
    containerEngine: createContainerEngineAdapter(clients.containerEngine, scope),
    scope,
  };
}

/** What every event's use case gets: the ports, our keys, no extra compartments, not a dry run. */
function sharedDeps(ports: RealPorts) {
  return {
    compute: ports.compute,
    containerEngine: ports.containerEngine,
    keys: TEST_KEYS,
    dryRun: false,
    extraCompartmentIds: [],
  };
}

/** What an instance event's use case gets from the function by default (no membership wait, remove, not a dry run). */
export function instanceDeps(ports: RealPorts, overrides: Partial<EnforceInstanceDeps> = {}): EnforceInstanceDeps {
  return {
    ...sharedDeps(ports),
    membershipWaitMs: 0,
    graceMs: GRACE_MS,
    impostorAction: 'remove',
    history: createTagHistory(),
    deadline: ports.scope.deadline,
    sleep: ports.scope.sleep,
    now: ports.scope.now,
    ...overrides,
  };
}

/** What a pool event's use case gets from the function by default. */
export function poolDeps(ports: RealPorts, overrides: Partial<EnforcePoolDeps> = {}): EnforcePoolDeps {
  return {
    ...sharedDeps(ports),
    concurrency: 8,
    deadline: ports.scope.deadline,
    reserveMs: 3000,
    ...overrides,
  };
}

/** A reconcile that applies and prunes over `compartmentIds` (pools and instances alike unless overridden). */
export function pruningReconcile(
  ports: RealPorts,
  compartmentIds: readonly string[],
  overrides: Partial<ReconcileOptions> = {},
): ReconcileOptions {
  return {
    poolCompartmentIds: compartmentIds,
    instanceCompartmentIds: compartmentIds,
    keys: TEST_KEYS,
    apply: true,
    prune: true,
    concurrency: 8,
    graceMs: GRACE_MS,
    deadline: ports.scope.deadline,
    reserveMs: 500,
    now: ports.scope.now,
    ...overrides,
  };
}
