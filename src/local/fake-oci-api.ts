/**
 * A fake of the slice of the OCI REST API this project uses (Core instances,
 * Container Engine node pools and clusters), served over real HTTP with real
 * HTTP Signature checks, so the real SDK clients can be pointed at it.
 *
 * It is built on node:http and node:crypto only. Importing the SDK here would
 * let SDK assumptions leak into the stand-in that is meant to check them.
 * Used by the integration tests (in-process), the contract tests (our built
 * function in a child process talks to it) and the local CLI. Never imported
 * by `src/func.ts`.
 */
import { createHash, createPublicKey, randomBytes, verify as verifySignatureBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cloneWorld, ocidResourceType, type World, type WorldInstance, type WorldNode, type WorldNodePool } from './world';

/** The API operations the fake serves, named as in the OCI API reference. */
export type OciOperation =
  'GetInstance' | 'UpdateInstance' | 'ListInstances' | 'GetNodePool' | 'ListNodePools' | 'GetCluster' | 'ListClusters';

/** One request that reached a route, in arrival order. */
export interface ApiCall {
  readonly operation: OciOperation;
  /** The OCID in the path; for List operations, the `compartmentId` query parameter. */
  readonly resourceId?: string;
  /** HTTP status answered; 0 when no response was sent (dropped connection, or still in flight). */
  readonly status: number;
  /** UpdateInstance only: the top-level body fields that were sent, in the order sent. */
  readonly sentFields?: readonly string[];
  /** UpdateInstance only: the `if-match` header, when sent. */
  readonly ifMatch?: string;
}

export interface RateLimitOptions {
  /** Sustained rate; tokens are refilled continuously at this rate. */
  readonly requestsPerSecond: number;
  /** Bucket size, i.e. how many requests may arrive at once. Defaults to one second's worth (at least 1). */
  readonly burst?: number;
}

export interface FakeOciApiOptions {
  /** Initial state. Deep-copied; the fake's writes never change the caller's object. */
  readonly world: World;
  /** keyId → public key PEM. A request signed by any other keyId is answered 401. */
  readonly trustedKeys?: Readonly<Record<string, string>>;
  /** Default and maximum page size of List operations (the `limit` query parameter can only lower it). Default 100. */
  readonly pageSize?: number;
  /** Added to every request before it is answered, without blocking other requests. */
  readonly latencyMs?: number;
  /** Token bucket over all requests; a request finding it empty is answered 429 TooManyRequests. */
  readonly rateLimit?: RateLimitOptions;
  /** Port to listen on; default 0 (any free port). */
  readonly port?: number;
  /** Accepted clock difference of the signed `date`/`x-date`; default 5 minutes, as OCI. */
  readonly maxClockSkewMs?: number;
}

/** Statuses {@link FaultInjector.fail} can answer with. */
export type FaultStatus = 409 | 429 | 500 | 502 | 503;

/** Which requests a fault applies to; an absent field matches everything. */
export interface FaultScope {
  readonly operation?: OciOperation;
  /** Matched against {@link ApiCall.resourceId}. */
  readonly resourceId?: string;
}

export interface FailFault extends FaultScope {
  readonly times: number;
  readonly status: FaultStatus;
  /** Service code of the error body; defaults to OCI's code for the status (e.g. TooManyRequests for 429). */
  readonly code?: string;
}

export interface DropConnectionFault extends FaultScope {
  readonly times: number;
}

export interface DelayFault extends FaultScope {
  readonly times: number;
  readonly ms: number;
}

export interface ConcurrentTagWriteFault {
  readonly instanceId: string;
  /** How many GetInstance answers are followed by a competing write. Default 1. */
  readonly times?: number;
  /** Receives a copy of the current defined tags and returns the competing writer's result. */
  readonly mutate: (definedTags: Record<string, Record<string, unknown>>) => Record<string, Record<string, unknown>>;
}

export interface LateNodeFault {
  readonly instanceId: string;
  readonly nodePoolId: string;
  /** The node is missing from this many successful GetNodePool answers of the pool, then appears. */
  readonly hiddenForGets: number;
}

const DEFAULT_CODES: Record<FaultStatus, string> = {
  409: 'IncorrectState',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

type RequestFault =
  | { kind: 'fail'; scope: FaultScope; remaining: number; status: FaultStatus; code: string }
  | { kind: 'drop'; scope: FaultScope; remaining: number }
  | { kind: 'delay'; scope: FaultScope; remaining: number; ms: number };

interface PendingTagWrite {
  instanceId: string;
  remaining: number;
  mutate: ConcurrentTagWriteFault['mutate'];
}

interface PendingLateNode {
  instanceId: string;
  nodePoolId: string;
  hiddenForGets: number;
  answeredGets: number;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

function scopeOf(fault: FaultScope): FaultScope {
  return {
    ...(fault.operation === undefined ? {} : { operation: fault.operation }),
    ...(fault.resourceId === undefined ? {} : { resourceId: fault.resourceId }),
  };
}

/**
 * Scripted misbehaviour. Request faults (fail, dropConnection, delay) are kept
 * in one queue: each request consumes the first one whose scope matches it.
 */
export class FaultInjector {
  private requestFaults: RequestFault[] = [];
  private tagWrites: PendingTagWrite[] = [];
  private lateNodes: PendingLateNode[] = [];

  /** The next `times` matching requests are answered `status` with an OCI error body. */
  fail(fault: FailFault): void {
    if (!(fault.status in DEFAULT_CODES)) throw new RangeError(`fail: unsupported status ${fault.status}`);
    this.requestFaults.push({
      kind: 'fail',
      scope: scopeOf(fault),
      remaining: positiveInteger(fault.times, 'fail: times'),
      status: fault.status,
      code: fault.code ?? DEFAULT_CODES[fault.status],
    });
  }

  /** The next `times` matching requests have their socket destroyed without any response. */
  dropConnection(fault: DropConnectionFault): void {
    this.requestFaults.push({ kind: 'drop', scope: scopeOf(fault), remaining: positiveInteger(fault.times, 'dropConnection: times') });
  }

  /** The next `times` matching requests wait `ms` longer before being served normally. */
  delay(fault: DelayFault): void {
    this.requestFaults.push({
      kind: 'delay',
      scope: scopeOf(fault),
      remaining: positiveInteger(fault.times, 'delay: times'),
      ms: nonNegative(fault.ms, 'delay: ms'),
    });
  }

  /**
   * Right after a GetInstance of `instanceId` has been answered, another writer
   * replaces the instance's defined tags with `mutate(current)` and the ETag
   * changes, so an UpdateInstance carrying the ETag just read gets 412.
   */
  concurrentTagWrite(fault: ConcurrentTagWriteFault): void {
    this.tagWrites.push({
      instanceId: fault.instanceId,
      remaining: positiveInteger(fault.times ?? 1, 'concurrentTagWrite: times'),
      mutate: fault.mutate,
    });
  }

  /**
   * The instance is left out of the pool's `nodes` in the first
   * `hiddenForGets` successful GetNodePool answers for that pool; after that it
   * is listed (and added to the pool if the world did not list it).
   */
  lateNode(fault: LateNodeFault): void {
    if (!Number.isInteger(fault.hiddenForGets) || fault.hiddenForGets < 0) {
      throw new RangeError(`lateNode: hiddenForGets must be a non-negative integer, got ${fault.hiddenForGets}`);
    }
    this.lateNodes.push({
      instanceId: fault.instanceId,
      nodePoolId: fault.nodePoolId,
      hiddenForGets: fault.hiddenForGets,
      answeredGets: 0,
    });
  }

  /** Forgets every fault not yet consumed. */
  clear(): void {
    this.requestFaults = [];
    this.tagWrites = [];
    this.lateNodes = [];
  }

  /** How many faults are still waiting to be consumed (each counted once, whatever its `times`). */
  get pending(): number {
    return this.requestFaults.length + this.tagWrites.length + this.lateNodes.length;
  }

  /** @internal Takes one use of the first request fault matching the call. */
  takeRequestFault(operation: OciOperation, resourceId: string | undefined): RequestFault | undefined {
    const index = this.requestFaults.findIndex(
      (fault) =>
        (fault.scope.operation === undefined || fault.scope.operation === operation) &&
        (fault.scope.resourceId === undefined || fault.scope.resourceId === resourceId),
    );
    const fault = this.requestFaults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.requestFaults.splice(index, 1);
    return fault;
  }

  /** @internal Takes one use of each competing write registered for the instance. */
  takeTagWrites(instanceId: string): PendingTagWrite[] {
    const due = this.tagWrites.filter((write) => write.instanceId === instanceId);
    for (const write of due) write.remaining -= 1;
    this.tagWrites = this.tagWrites.filter((write) => write.remaining > 0);
    return due;
  }

  /**
   * @internal Called once per successful GetNodePool answer: returns the
   * instance ids to hide this time and those whose hiding just ended.
   */
  takeLateNodes(nodePoolId: string): { hidden: Set<string>; appearing: string[] } {
    const hidden = new Set<string>();
    const appearing: string[] = [];
    for (const late of this.lateNodes) {
      if (late.nodePoolId !== nodePoolId) continue;
      if (late.answeredGets < late.hiddenForGets) hidden.add(late.instanceId);
      else appearing.push(late.instanceId);
      late.answeredGets += 1;
    }
    this.lateNodes = this.lateNodes.filter((late) => late.nodePoolId !== nodePoolId || late.answeredGets <= late.hiddenForGets);
    return { hidden, appearing };
  }
}

/** An answer the fake gives as an OCI error body `{code, message}`. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const notFound = (): ApiError => new ApiError(404, 'NotAuthorizedOrNotFound', 'Authorization failed or requested resource not found.');
const notAuthenticated = (why: string): ApiError =>
  new ApiError(401, 'NotAuthenticated', `The required information to complete authentication was not provided or was incorrect: ${why}`);
const invalidParameter = (message: string): ApiError => new ApiError(400, 'InvalidParameter', message);

interface Reply {
  status: number;
  body: unknown;
  etag?: string;
  nextPage?: string;
  /** Runs after the response has been written. */
  afterSend?: () => void;
}

interface RequestContext {
  readonly id: string | undefined;
  readonly query: QueryReader;
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
  readonly call: MutableCall;
}

interface MutableCall {
  operation: OciOperation;
  resourceId?: string;
  status: number;
  sentFields?: string[];
  ifMatch?: string;
}

interface Route {
  readonly method: 'GET' | 'PUT';
  readonly segments: readonly string[];
  readonly operation: OciOperation;
  readonly handle: (context: RequestContext) => Reply;
}

/** Validates query parameters: unknown or repeated ones are errors, as a typo there would otherwise be silently ignored. */
class QueryReader {
  constructor(private readonly params: URLSearchParams) {}

  allowOnly(names: readonly string[], repeatable: readonly string[] = []): void {
    for (const name of new Set(this.params.keys())) {
      if (!names.includes(name)) throw invalidParameter(`Unknown query parameter: ${name}`);
      if (this.params.getAll(name).length > 1 && !repeatable.includes(name))
        throw invalidParameter(`Query parameter ${name} given more than once`);
    }
  }

  optional(name: string): string | undefined {
    const value = this.params.get(name);
    if (value === null) return undefined;
    if (value.length === 0) throw invalidParameter(`Query parameter ${name} is empty`);
    return value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new ApiError(400, 'MissingParameter', `Missing query parameter: ${name}`);
    return value;
  }

  compartmentId(): string {
    const value = this.required('compartmentId');
    const type = ocidResourceType(value);
    if (type !== 'compartment' && type !== 'tenancy') throw invalidParameter(`Invalid compartmentId: ${value}`);
    return value;
  }

  optionalOcid(name: string, type: string): string | undefined {
    const value = this.optional(name);
    if (value !== undefined && ocidResourceType(value) !== type) throw invalidParameter(`Invalid ${name}: ${value}`);
    return value;
  }

  enumValues(name: string, allowed: readonly string[]): string[] {
    const values = this.params.getAll(name);
    for (const value of values) {
      if (!allowed.includes(value)) throw invalidParameter(`Invalid ${name}: ${value} (expected one of ${allowed.join(', ')})`);
    }
    return values;
  }

  limit(): number | undefined {
    const value = this.optional('limit');
    if (value === undefined) return undefined;
    if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 1000)
      throw invalidParameter(`Invalid limit: ${value} (expected 1..1000)`);
    return Number(value);
  }
}

const BODY_LIMIT_BYTES = 1024 * 1024;
const BODY_METHODS = ['PUT', 'POST', 'PATCH'];
const ORACLE_DEFAULT_TAGS: Readonly<Record<string, readonly string[]>> = { 'Oracle-Tags': ['CreatedBy', 'CreatedOn'] };
const MAX_TAG_VALUE_LENGTH = 256;
const MAX_FREEFORM_KEY_LENGTH = 100;
const UPDATE_INSTANCE_FIELDS = new Set([
  'isAIEnterpriseEnabled',
  'capacityReservationId',
  'definedTags',
  'securityAttributes',
  'displayName',
  'freeformTags',
  'agentConfig',
  'metadata',
  'extendedMetadata',
  'shape',
  'shapeConfig',
  'sourceDetails',
  'updateOperationConstraint',
  'instanceOptions',
  'faultDomain',
  'launchOptions',
  'availabilityConfig',
  'timeMaintenanceRebootDue',
  'dedicatedVmHostId',
  'platformConfig',
  'licensingConfigs',
]);
const SORT_ORDERS = ['ASC', 'DESC'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sha256(data: string | Buffer, encoding: 'hex' | 'base64'): string {
  return createHash('sha256').update(data).digest(encoding);
}

/** Parses `Signature version="1",keyId="…",…` into its parameters. */
function parseSignatureParameters(header: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const match of header.slice('Signature '.length).matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined) parameters.set(name, value);
  }
  return parameters;
}

function headerValue(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Stable order for List operations that honour `sortBy`/`sortOrder`. */
function sortItems<T extends Record<string, unknown>>(items: T[], field: string | undefined, order: string | undefined): T[] {
  if (field === undefined) return order === 'DESC' ? [...items].reverse() : items;
  const direction = order === 'DESC' ? -1 : 1;
  return [...items].sort((a, b) => direction * String(a[field] ?? '').localeCompare(String(b[field] ?? '')));
}

/**
 * The fake OCI API server. A request that matches a route is logged, then
 * waits `latencyMs`, then meets in turn: the signature check (401), the rate
 * limit (429), the first matching scripted fault, and finally the operation
 * itself. Requests that match no route get 404 and are listed in `unrouted`.
 */
export class FakeOciApi {
  /** Scripted faults; see {@link FaultInjector}. */
  readonly faults = new FaultInjector();
  /** Added to every request; may be changed between requests. */
  latencyMs: number;
  /** Requests that matched no route ("METHOD /path"), to make a misconfigured endpoint easy to spot. */
  readonly unrouted: string[] = [];

  private readonly state: World;
  private readonly keys = new Map<string, KeyObject>();
  private readonly pageSize: number;
  private readonly maxClockSkewMs: number;
  private readonly port: number;
  private readonly bucket: TokenBucket | undefined;
  private readonly versions = new Map<string, number>();
  private readonly callLog: MutableCall[] = [];
  private readonly sleepers = new Set<() => void>();
  private readonly routes: readonly Route[];
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private stopped = false;

  constructor(options: FakeOciApiOptions) {
    this.state = cloneWorld(options.world);
    this.pageSize = positiveInteger(options.pageSize ?? 100, 'pageSize');
    this.latencyMs = nonNegative(options.latencyMs ?? 0, 'latencyMs');
    this.maxClockSkewMs = nonNegative(options.maxClockSkewMs ?? 5 * 60 * 1000, 'maxClockSkewMs');
    this.port = options.port ?? 0;
    this.bucket = options.rateLimit === undefined ? undefined : new TokenBucket(options.rateLimit);
    for (const [keyId, pem] of Object.entries(options.trustedKeys ?? {})) this.trustKey(keyId, pem);
    this.routes = [
      { method: 'GET', segments: ['20160918', 'instances'], operation: 'ListInstances', handle: (c) => this.listInstances(c) },
      { method: 'GET', segments: ['20160918', 'instances', ':id'], operation: 'GetInstance', handle: (c) => this.getInstanceReply(c) },
      { method: 'PUT', segments: ['20160918', 'instances', ':id'], operation: 'UpdateInstance', handle: (c) => this.updateInstance(c) },
      { method: 'GET', segments: ['20180222', 'nodePools'], operation: 'ListNodePools', handle: (c) => this.listNodePools(c) },
      { method: 'GET', segments: ['20180222', 'nodePools', ':id'], operation: 'GetNodePool', handle: (c) => this.getNodePool(c) },
      { method: 'GET', segments: ['20180222', 'clusters'], operation: 'ListClusters', handle: (c) => this.listClusters(c) },
      { method: 'GET', segments: ['20180222', 'clusters', ':id'], operation: 'GetCluster', handle: (c) => this.getCluster(c) },
    ];
  }

  /** Starts listening on 127.0.0.1 and resolves to the base URL (e.g. `http://127.0.0.1:40123`). */
  async start(): Promise<string> {
    if (this.server !== undefined) throw new Error('FakeOciApi: already started');
    const server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        // A bug in the fake must surface as a 500 the test can see, not as a hung request.
        if (!response.headersSent && !response.destroyed) {
          this.send(response, undefined, {
            status: 500,
            body: { code: 'InternalServerError', message: `fake OCI API bug: ${String(error)}` },
          });
        }
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${address.port}`;
    return this.baseUrl;
  }

  /** Stops listening, closes every connection (including keep-alive ones) and abandons delayed requests. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined || this.stopped) return;
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** The base URL; set `client.endpoint` to it (the SDK appends the API version path). */
  get url(): string {
    if (this.baseUrl === undefined) throw new Error('FakeOciApi: not started; call start() first');
    return this.baseUrl;
  }

  /** Accepts requests signed with `keyId` whose signature verifies with `publicKeyPem`. */
  trustKey(keyId: string, publicKeyPem: string): void {
    this.keys.set(keyId, createPublicKey(publicKeyPem));
  }

  /** The current state: a deep copy of the loaded world, changed by UpdateInstance and by faults. */
  get world(): World {
    return this.state;
  }

  /** A copy of the instance as it is now, or undefined. */
  getInstance(instanceId: string): WorldInstance | undefined {
    const instance = this.state.instances.find((candidate) => candidate.id === instanceId);
    return instance === undefined ? undefined : structuredClone(instance);
  }

  /** The instance's current ETag, as GetInstance would return it. */
  etagOf(instanceId: string): string {
    return sha256(`${instanceId}#${this.versions.get(instanceId) ?? 0}`, 'hex').slice(0, 32);
  }

  /** Every request that reached a route, in arrival order (copies). */
  get calls(): ApiCall[] {
    return this.callLog.map((call) => ({
      ...call,
      ...(call.sentFields === undefined ? {} : { sentFields: [...call.sentFields] }),
    }));
  }

  /** How many requests reached a route, optionally of one operation. */
  count(operation?: OciOperation): number {
    return operation === undefined ? this.callLog.length : this.callLog.filter((call) => call.operation === operation).length;
  }

  /** Forgets the call log. */
  resetCalls(): void {
    this.callLog.length = 0;
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://fake.invalid');
    const match = this.route(method, url.pathname);
    if (match === undefined) {
      this.unrouted.push(`${method} ${url.pathname}`);
      request.resume();
      this.send(response, undefined, {
        status: 404,
        body: { code: 'NotAuthorizedOrNotFound', message: `No such API route: ${method} ${url.pathname}` },
      });
      return;
    }
    const { route, id } = match;
    const call: MutableCall = { operation: route.operation, status: 0 };
    const resourceId = route.segments.includes(':id') ? id : (url.searchParams.get('compartmentId') ?? undefined);
    if (resourceId !== undefined) call.resourceId = resourceId;
    this.callLog.push(call);

    const body = await readBody(request);
    if (body === undefined) {
      this.send(response, call, {
        status: 413,
        body: { code: 'RequestEntityTooLarge', message: `Request body exceeds ${BODY_LIMIT_BYTES} bytes` },
      });
      return;
    }
    if (this.latencyMs > 0 && !(await this.sleep(this.latencyMs))) return this.abandon(response);

    let reply: Reply;
    try {
      this.authenticate(request, rawUrl, body);
      if (this.bucket !== undefined && !this.bucket.take())
        throw new ApiError(429, 'TooManyRequests', 'Too many requests for the tenancy.');
      const fault = this.faults.takeRequestFault(route.operation, call.resourceId);
      if (fault?.kind === 'drop') {
        response.socket?.destroy();
        return;
      }
      if (fault?.kind === 'fail') throw new ApiError(fault.status, fault.code, `Injected fault: ${fault.code} for ${route.operation}.`);
      if (fault?.kind === 'delay' && !(await this.sleep(fault.ms))) return this.abandon(response);
      reply = route.handle({ id, query: new QueryReader(url.searchParams), body, headers: request.headers, call });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = { status: error.status, body: { code: error.code, message: error.message } };
    }
    this.send(response, call, reply, headerValue(request.headers, 'opc-request-id'));
  }

  private route(method: string, pathname: string): { route: Route; id: string | undefined } | undefined {
    const segments = pathname.split('/').slice(1);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      let id: string | undefined;
      const matches = route.segments.every((expected, index) => {
        const actual = segments[index] ?? '';
        if (expected !== ':id') return expected === actual;
        id = safeDecode(actual);
        return actual.length > 0;
      });
      if (matches) return { route, id };
    }
    return undefined;
  }

  /** Resolves true after `ms`, or false at once if the server stops meanwhile. */
  private sleep(ms: number): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.sleepers.delete(wake);
        resolve(true);
      }, ms);
      this.sleepers.add(wake);
    });
  }

  private abandon(response: ServerResponse): void {
    response.socket?.destroy();
  }

  private send(response: ServerResponse, call: MutableCall | undefined, reply: Reply, clientRequestId?: string): void {
    if (response.destroyed || response.headersSent) return;
    const serverRequestId = randomBytes(16).toString('hex').toUpperCase();
    const text = JSON.stringify(reply.body);
    response.statusCode = reply.status;
    response.setHeader('content-type', 'application/json');
    response.setHeader('content-length', Buffer.byteLength(text));
    // OCI echoes a client-supplied request id and appends its own.
    response.setHeader('opc-request-id', clientRequestId === undefined ? serverRequestId : `${clientRequestId}/${serverRequestId}`);
    if (reply.etag !== undefined) response.setHeader('etag', reply.etag);
    if (reply.nextPage !== undefined) response.setHeader('opc-next-page', reply.nextPage);
    response.end(text);
    if (call !== undefined) call.status = reply.status;
    reply.afterSend?.();
  }

  /**
   * Verifies the HTTP Signature (draft-cavage) the way OCI does: keyId must be
   * trusted, the signed headers must include `(request-target)`, `host` and
   * `date` or `x-date` (plus `content-length`, `content-type` and
   * `x-content-sha256` on requests with a body), the body hash must match and
   * the signed date must be within the allowed clock skew.
   */
  private authenticate(request: IncomingMessage, rawUrl: string, body: Buffer): void {
    const authorization = headerValue(request.headers, 'authorization');
    if (authorization === undefined || !authorization.startsWith('Signature ')) throw notAuthenticated('no Signature authorization header');
    const parameters = parseSignatureParameters(authorization);
    const keyId = parameters.get('keyId');
    const signature = parameters.get('signature');
    const signedHeaders = (parameters.get('headers') ?? 'date').toLowerCase().split(' ');
    if (parameters.get('version') !== '1') throw notAuthenticated('signature version must be "1"');
    if (parameters.get('algorithm') !== 'rsa-sha256') throw notAuthenticated('algorithm must be rsa-sha256');
    if (keyId === undefined || signature === undefined) throw notAuthenticated('keyId and signature are required');

    const method = (request.method ?? 'GET').toUpperCase();
    const dateHeader = signedHeaders.includes('x-date') ? 'x-date' : 'date';
    const required = [
      '(request-target)',
      'host',
      dateHeader,
      ...(BODY_METHODS.includes(method) ? ['content-length', 'content-type', 'x-content-sha256'] : []),
    ];
    for (const name of required) {
      if (!signedHeaders.includes(name)) throw notAuthenticated(`header ${name} must be signed`);
    }
    const lines = signedHeaders.map((name) => {
      if (name === '(request-target)') return `(request-target): ${method.toLowerCase()} ${rawUrl}`;
      const value = headerValue(request.headers, name);
      if (value === undefined) throw notAuthenticated(`signed header ${name} is missing from the request`);
      return `${name}: ${value}`;
    });

    const key = this.keys.get(keyId);
    if (key === undefined) throw notAuthenticated(`unknown keyId ${keyId.length > 80 ? `${keyId.slice(0, 80)}…` : keyId}`);
    if (!verifySignatureBytes('sha256', Buffer.from(lines.join('\n')), key, Buffer.from(signature, 'base64'))) {
      throw notAuthenticated('signature does not verify');
    }

    const signedAt = Date.parse(headerValue(request.headers, dateHeader) ?? '');
    if (Number.isNaN(signedAt)) throw notAuthenticated(`${dateHeader} is not a date`);
    if (Math.abs(Date.now() - signedAt) > this.maxClockSkewMs) throw notAuthenticated(`${dateHeader} is outside the allowed clock skew`);
    if (BODY_METHODS.includes(method)) {
      if (headerValue(request.headers, 'x-content-sha256') !== sha256(body, 'base64'))
        throw notAuthenticated('x-content-sha256 does not match the body');
      if (headerValue(request.headers, 'content-length') !== String(body.length))
        throw notAuthenticated('content-length does not match the body');
    }
  }

  private pathOcid(id: string | undefined, type: string, name: string): string {
    const resourceType = ocidResourceType(id);
    if (id === undefined || resourceType === undefined) throw invalidParameter(`Invalid ${name}: ${id ?? '(missing)'}`);
    // A well-formed OCID of another resource type names nothing here, which OCI reports as not found.
    if (resourceType !== type) throw notFound();
    return id;
  }

  private page<T>(items: readonly T[], operation: OciOperation, query: QueryReader): Pick<Reply, 'body' | 'nextPage'> {
    const limit = query.limit();
    const token = query.optional('page');
    const size = Math.min(this.pageSize, limit ?? this.pageSize);
    let offset = 0;
    if (token !== undefined) {
      const decoded = /^([A-Za-z]+):([0-9]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
      if (decoded === null || decoded[1] !== operation || Number(decoded[2]) > items.length)
        throw invalidParameter(`Invalid page token: ${token}`);
      offset = Number(decoded[2]);
    }
    const end = offset + size;
    return {
      body: items.slice(offset, end),
      ...(end < items.length ? { nextPage: Buffer.from(`${operation}:${end}`).toString('base64url') } : {}),
    };
  }

  private findInstance(instanceId: string): WorldInstance {
    const instance = this.state.instances.find((candidate) => candidate.id === instanceId);
    if (instance === undefined) throw notFound();
    return instance;
  }

  private getInstanceReply({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const instanceId = this.pathOcid(id, 'instance', 'instanceId');
    const instance = this.findInstance(instanceId);
    return {
      status: 200,
      body: instance,
      etag: this.etagOf(instanceId),
      afterSend: () => {
        for (const write of this.faults.takeTagWrites(instanceId)) {
          instance.definedTags = write.mutate(structuredClone(instance.definedTags));
          this.bumpVersion(instanceId);
        }
      },
    };
  }

  private listInstances({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'availabilityDomain', 'displayName', 'lifecycleState', 'limit', 'page', 'sortBy', 'sortOrder']);
    const compartmentId = query.compartmentId();
    const availabilityDomain = query.optional('availabilityDomain');
    const displayName = query.optional('displayName');
    const [lifecycleState] = query.enumValues('lifecycleState', [
      'MOVING',
      'PROVISIONING',
      'RUNNING',
      'STARTING',
      'STOPPING',
      'STOPPED',
      'CREATING_IMAGE',
      'TERMINATING',
      'TERMINATED',
    ]);
    const [sortBy] = query.enumValues('sortBy', ['TIMECREATED', 'DISPLAYNAME']);
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const matching = this.state.instances.filter(
      (instance) =>
        instance.compartmentId === compartmentId &&
        (availabilityDomain === undefined || instance.availabilityDomain === availabilityDomain) &&
        (displayName === undefined || instance.displayName === displayName) &&
        (lifecycleState === undefined || instance.lifecycleState === lifecycleState),
    );
    const sortField = sortBy === undefined ? undefined : sortBy === 'TIMECREATED' ? 'timeCreated' : 'displayName';
    return { status: 200, ...this.page(sortItems(matching, sortField, sortOrder), 'ListInstances', query) };
  }

  private updateInstance({ id, query, body, headers, call }: RequestContext): Reply {
    query.allowOnly([]);
    const instanceId = this.pathOcid(id, 'instance', 'instanceId');
    const details = parseJsonBody(body);
    call.sentFields = Object.keys(details);
    const ifMatch = headerValue(headers, 'if-match');
    if (ifMatch !== undefined) call.ifMatch = ifMatch;
    const instance = this.findInstance(instanceId);
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== this.etagOf(instanceId)) {
      throw new ApiError(412, 'NoEtagMatch', `The resource's etag does not match the value of the if-match header (${ifMatch}).`);
    }
    for (const field of Object.keys(details)) {
      if (!UPDATE_INSTANCE_FIELDS.has(field)) throw invalidParameter(`UpdateInstanceDetails has no field ${field}`);
    }
    this.validateInstanceUpdate(details);
    for (const [field, value] of Object.entries(details)) instance[field] = structuredClone(value);
    this.bumpVersion(instanceId);
    return { status: 200, body: instance, etag: this.etagOf(instanceId) };
  }

  private validateInstanceUpdate(details: Record<string, unknown>): void {
    const { displayName, definedTags, freeformTags, metadata } = details;
    if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length === 0 || displayName.length > 255)) {
      throw invalidParameter('displayName must be a string of 1 to 255 characters');
    }
    if (definedTags !== undefined) this.validateDefinedTags(definedTags);
    if (freeformTags !== undefined) {
      if (!isPlainObject(freeformTags)) throw invalidParameter('freeformTags must be an object');
      for (const [key, value] of Object.entries(freeformTags)) {
        if (key.length === 0 || key.length > MAX_FREEFORM_KEY_LENGTH)
          throw invalidParameter(`freeformTags key ${JSON.stringify(key)} must have 1 to ${MAX_FREEFORM_KEY_LENGTH} characters`);
        if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH)
          throw invalidParameter(`freeformTags.${key} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`);
      }
    }
    if (metadata !== undefined) {
      if (!isPlainObject(metadata) || Object.values(metadata).some((value) => typeof value !== 'string'))
        throw invalidParameter('metadata must be an object of strings');
    }
  }

  /** Checks sent defined tags against the tenancy's tag catalogue, as OCI does on every write. */
  private validateDefinedTags(definedTags: unknown): void {
    if (!isPlainObject(definedTags)) throw invalidParameter('definedTags must be an object');
    for (const [namespace, tags] of Object.entries(definedTags)) {
      if (!isPlainObject(tags)) throw invalidParameter(`definedTags.${namespace} must be an object`);
      const declared = this.state.tagNamespaces[namespace];
      const defaultKeys = ORACLE_DEFAULT_TAGS[namespace] ?? [];
      if (declared === undefined && defaultKeys.length === 0)
        throw invalidParameter(`The tag namespace ${namespace} does not exist or you are not authorized to use it.`);
      if (declared?.retired === true) throw invalidParameter(`The tag namespace ${namespace} is retired and cannot be used.`);
      for (const [key, value] of Object.entries(tags)) {
        if (!defaultKeys.includes(key) && !(declared?.keys.includes(key) ?? false)) {
          throw invalidParameter(`The tag key ${key} does not exist in tag namespace ${namespace}.`);
        }
        if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) {
          throw invalidParameter(`The value of tag ${namespace}.${key} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters.`);
        }
      }
    }
  }

  private bumpVersion(instanceId: string): void {
    this.versions.set(instanceId, (this.versions.get(instanceId) ?? 0) + 1);
  }

  private findNodePool(nodePoolId: string): WorldNodePool {
    const pool = this.state.nodePools.find((candidate) => candidate.id === nodePoolId);
    if (pool === undefined) throw notFound();
    return pool;
  }

  private getNodePool({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const nodePoolId = this.pathOcid(id, 'nodepool', 'nodePoolId');
    const pool = this.findNodePool(nodePoolId);
    const { hidden, appearing } = this.faults.takeLateNodes(nodePoolId);
    for (const instanceId of appearing) {
      if (pool.nodes.some((node) => node.id === instanceId)) continue;
      const node: WorldNode = { id: instanceId, name: this.getInstance(instanceId)?.displayName ?? instanceId, lifecycleState: 'ACTIVE' };
      pool.nodes.push(node);
    }
    const nodes = pool.nodes.filter((node) => !hidden.has(node.id)).map((node) => ({ nodePoolId: pool.id, ...node }));
    const body = { ...pool, nodes };
    return { status: 200, body, etag: sha256(JSON.stringify(body), 'hex').slice(0, 32) };
  }

  private listNodePools({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'clusterId', 'name', 'lifecycleState', 'limit', 'page', 'sortBy', 'sortOrder'], ['lifecycleState']);
    const compartmentId = query.compartmentId();
    const clusterId = query.optionalOcid('clusterId', 'cluster');
    const name = query.optional('name');
    const states = query.enumValues('lifecycleState', [
      'DELETED',
      'CREATING',
      'ACTIVE',
      'UPDATING',
      'DELETING',
      'FAILED',
      'INACTIVE',
      'NEEDS_ATTENTION',
    ]);
    const [sortBy] = query.enumValues('sortBy', ['ID', 'NAME', 'TIME_CREATED']);
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const summaries = this.state.nodePools
      .filter(
        (pool) =>
          pool.compartmentId === compartmentId &&
          (clusterId === undefined || pool.clusterId === clusterId) &&
          (name === undefined || pool.name === name) &&
          (states.length === 0 || (pool.lifecycleState !== undefined && states.includes(pool.lifecycleState))),
      )
      // NodePoolSummary carries no nodes; only GetNodePool lists them.
      .map(({ nodes: _nodes, ...summary }) => summary);
    const sortField = sortBy === undefined ? undefined : sortBy === 'ID' ? 'id' : sortBy === 'NAME' ? 'name' : 'timeCreated';
    return { status: 200, ...this.page(sortItems(summaries, sortField, sortOrder), 'ListNodePools', query) };
  }

  private getCluster({ id, query }: RequestContext): Reply {
    query.allowOnly(['shouldIncludeOidcConfigFile']);
    query.enumValues('shouldIncludeOidcConfigFile', ['true', 'false']);
    const clusterId = this.pathOcid(id, 'cluster', 'clusterId');
    const cluster = this.state.clusters.find((candidate) => candidate.id === clusterId);
    if (cluster === undefined) throw notFound();
    return { status: 200, body: cluster, etag: sha256(JSON.stringify(cluster), 'hex').slice(0, 32) };
  }

  private listClusters({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'name', 'lifecycleState', 'limit', 'page', 'sortBy', 'sortOrder'], ['lifecycleState']);
    const compartmentId = query.compartmentId();
    const name = query.optional('name');
    const states = query.enumValues('lifecycleState', ['CREATING', 'ACTIVE', 'FAILED', 'DELETING', 'DELETED', 'UPDATING']);
    const [sortBy] = query.enumValues('sortBy', ['ID', 'NAME', 'TIME_CREATED']);
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const matching = this.state.clusters.filter(
      (cluster) =>
        cluster.compartmentId === compartmentId &&
        (name === undefined || cluster.name === name) &&
        (states.length === 0 || (cluster.lifecycleState !== undefined && states.includes(cluster.lifecycleState))),
    );
    const sortField = sortBy === undefined ? undefined : sortBy === 'ID' ? 'id' : sortBy === 'NAME' ? 'name' : 'timeCreated';
    return { status: 200, ...this.page(sortItems(matching, sortField, sortOrder), 'ListClusters', query) };
  }
}

/** Continuous-refill token bucket shared by all requests. */
class TokenBucket {
  private tokens: number;
  private refilledAt = Date.now();
  private readonly rate: number;
  private readonly capacity: number;

  constructor(options: RateLimitOptions) {
    if (!(options.requestsPerSecond > 0))
      throw new RangeError(`rateLimit.requestsPerSecond must be positive, got ${options.requestsPerSecond}`);
    this.rate = options.requestsPerSecond;
    this.capacity = options.burst ?? Math.max(1, Math.floor(options.requestsPerSecond));
    if (!(this.capacity >= 1)) throw new RangeError(`rateLimit.burst must be at least 1, got ${this.capacity}`);
    this.tokens = this.capacity;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The whole request body, or undefined when it exceeds the limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > BODY_LIMIT_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The JSON object sent as a request body; an empty body is an empty object (the SDK omits `{}`). */
function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidParameter('The request body is not valid JSON.');
  }
  if (!isPlainObject(parsed)) throw invalidParameter('The request body must be a JSON object.');
  return parsed;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
