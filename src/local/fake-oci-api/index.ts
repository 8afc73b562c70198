/**
 * The fake OCI API: a stand-in for the slice of the OCI REST API this project
 * uses, served over real HTTP with real signature checks. See `server.ts`.
 */
export { FakeOciApi, type FakeOciApiOptions } from './server';
export type { ApiCall } from './calls';
export {
  FaultInjector,
  type ConcurrentTagWriteFault,
  type DelayFault,
  type DropConnectionFault,
  type FailFault,
  type FaultScope,
  type FaultStatus,
  type LateNodeFault,
} from './faults';
export type { RateLimitOptions } from './rate-limit';
export type { OciOperation } from './services';
