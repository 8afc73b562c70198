/**
 * The fake OCI API: a stand-in for the slice of the OCI REST API this project
 * uses, served over real HTTP with real signature checks. See `server.ts`.
 */
export { FakeOciApi, type FakeOciApiOptions } from './server';
export type { ApiCall } from './calls';
export {
  type HideNodeIdsFault,
  type NodePoolWithoutNodesFault,
  type NodesWithoutIdFault,
  type OmitEtagFault,
  type Omission,
} from './answer-shape-faults';
export { FaultInjector, type ConcurrentTagWriteFault, type LateNodeFault, type NodePoolNotFoundFault } from './faults';
export type { DelayFault, DropConnectionFault, FailFault, FaultScope, FaultStatus } from './request-faults';
export type { RateLimitOptions } from './rate-limit';
export type { OciOperation } from './services';
