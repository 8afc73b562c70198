/**
 * A fake of the slice of the OCI REST API this project uses, served over
 * real HTTP with real HTTP Signature checks, so the real SDK clients can be
 * pointed at it. The services and their routes are in `services.ts`.
 *
 * It is built on node:http and node:crypto only. Importing the SDK here would
 * let SDK assumptions leak into the stand-in that is meant to check them.
 * Used by the integration tests (in-process), the contract tests (our built
 * function in a child process talks to it) and the local CLI. Never imported
 * by `src/func.ts`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cloneWorld } from '../world';
import type { World, WorldInstance } from '../world-types';
import { ApiError, tooManyRequests } from './api-error';
import { CallLog, type ApiCall, type LoggedCall } from './calls';
import { ResourceVersions } from './etags';
import { FaultInjector } from './faults';
import { nonNegative, positiveInteger } from './option-checks';
import { QueryReader } from './query';
import { TokenBucket, type RateLimitOptions } from './rate-limit';
import { BODY_LIMIT_BYTES, headerValue, readBody } from './request';
import { RouteTable, type Reply } from './route-table';
import { SERVICES, type OciOperation } from './services';
import { SignatureVerifier } from './signature';
import { CancellableSleeps } from './sleeps';

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
  private readonly signatures: SignatureVerifier;
  private readonly port: number;
  private readonly bucket: TokenBucket | undefined;
  private readonly versions = new ResourceVersions();
  private readonly callLog = new CallLog();
  private readonly sleeps = new CancellableSleeps();
  private readonly routes: RouteTable<OciOperation>;
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private stopped = false;

  constructor(options: FakeOciApiOptions) {
    this.state = cloneWorld(options.world);
    const pageSize = positiveInteger(options.pageSize ?? 100, 'pageSize');
    this.latencyMs = nonNegative(options.latencyMs ?? 0, 'latencyMs');
    this.signatures = new SignatureVerifier(nonNegative(options.maxClockSkewMs ?? 5 * 60 * 1000, 'maxClockSkewMs'));
    this.port = options.port ?? 0;
    this.bucket = options.rateLimit === undefined ? undefined : new TokenBucket(options.rateLimit);
    for (const [keyId, pem] of Object.entries(options.trustedKeys ?? {})) this.trustKey(keyId, pem);
    const services = { world: this.state, faults: this.faults, versions: this.versions, pageSize };
    this.routes = new RouteTable(SERVICES.flatMap((service) => service(services)));
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
    this.sleeps.cancelAll();
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
    this.signatures.trust(keyId, publicKeyPem);
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
    return this.versions.etagOf(instanceId);
  }

  /** Every request that reached a route, in arrival order (copies). */
  get calls(): ApiCall[] {
    return this.callLog.list();
  }

  /** How many requests reached a route, optionally of one operation. */
  count(operation?: OciOperation): number {
    return this.callLog.count(operation);
  }

  /** Forgets the call log. */
  resetCalls(): void {
    this.callLog.clear();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    const url = new URL(rawUrl, 'http://fake.invalid');
    const match = this.routes.match(method, url.pathname);
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
    const call = this.callLog.record(route.operation, match.hasPathId ? id : (url.searchParams.get('compartmentId') ?? undefined));

    const body = await readBody(request);
    if (body === undefined) {
      this.send(response, call, {
        status: 413,
        body: { code: 'RequestEntityTooLarge', message: `Request body exceeds ${BODY_LIMIT_BYTES} bytes` },
      });
      return;
    }
    if (this.latencyMs > 0 && !(await this.sleeps.sleep(this.latencyMs))) return this.abandon(response);

    let reply: Reply;
    try {
      this.signatures.verify(request, rawUrl, body);
      if (this.bucket !== undefined && !this.bucket.take()) throw tooManyRequests();
      const fault = this.faults.takeRequestFault(route.operation, call.resourceId);
      if (fault?.kind === 'drop') {
        response.socket?.destroy();
        return;
      }
      if (fault?.kind === 'fail') throw new ApiError(fault.status, fault.code, `Injected fault: ${fault.code} for ${route.operation}.`);
      if (fault?.kind === 'delay' && !(await this.sleeps.sleep(fault.ms))) return this.abandon(response);
      reply = route.handle({ id, query: new QueryReader(url.searchParams), body, headers: request.headers, call });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      reply = { status: error.status, body: { code: error.code, message: error.message } };
    }
    this.send(response, call, reply, headerValue(request.headers, 'opc-request-id'));
  }

  private abandon(response: ServerResponse): void {
    response.socket?.destroy();
  }

  private send(response: ServerResponse, call: LoggedCall | undefined, reply: Reply, clientRequestId?: string): void {
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
}
