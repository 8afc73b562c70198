/**
 * The route-table interface between the server and the services. A service
 * is a function from {@link ServiceState} to its routes; the server matches a
 * request to a route, then calls its handler with a {@link RequestContext}.
 */
import type { IncomingMessage } from 'node:http';
import { ocidType } from '../../ocid';
import type { World } from '../world-types';
import { invalidParameter, notFound } from './api-error';
import type { CallDetails } from './calls';
import type { ResourceVersions } from './etags';
import type { FaultInjector } from './faults';
import type { QueryReader } from './query';

/** A successful answer, or the answer a handler gives instead of throwing. */
export interface Reply {
  status: number;
  body: unknown;
  etag?: string;
  nextPage?: string;
  /** Runs after the response has been written. */
  afterSend?: () => void;
}

/** What a handler gets of its request. */
export interface RequestContext {
  /** The decoded `:id` path segment, when the route has one. */
  readonly id: string | undefined;
  readonly query: QueryReader;
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
  /** The request's entry in the call log, for details a test may assert. */
  readonly call: CallDetails;
}

export interface Route<Operation extends string = string> {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** The path below the endpoint, API version first; `:id` matches one non-empty segment. */
  readonly path: string;
  /** The operation's name in the OCI API reference. */
  readonly operation: Operation;
  /** Answers the request, or throws an {@link ApiError} to answer an OCI error. */
  readonly handle: (context: RequestContext) => Reply;
}

/** The fake's state, shared by every service. */
export interface ServiceState {
  /** The current world; handlers read and change it in place. */
  readonly world: World;
  readonly faults: FaultInjector;
  readonly versions: ResourceVersions;
  /** Default and maximum page size of List operations. */
  readonly pageSize: number;
}

/** One OCI service of the fake: builds its routes over the shared state. */
export type OciService<Operation extends string> = (state: ServiceState) => readonly Route<Operation>[];

export interface RouteMatch<Operation extends string> {
  readonly route: Route<Operation>;
  /** Set when the route has an `:id` segment; undefined also when that segment does not decode. */
  readonly id: string | undefined;
  readonly hasPathId: boolean;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Finds the route of a request by method and path. */
export class RouteTable<Operation extends string> {
  private readonly entries: readonly { route: Route<Operation>; segments: readonly string[] }[];

  constructor(routes: readonly Route<Operation>[]) {
    this.entries = routes.map((route) => ({ route, segments: route.path.split('/').slice(1) }));
  }

  match(method: string, pathname: string): RouteMatch<Operation> | undefined {
    const segments = pathname.split('/').slice(1);
    for (const { route, segments: expectedSegments } of this.entries) {
      if (route.method !== method || expectedSegments.length !== segments.length) continue;
      let id: string | undefined;
      const matches = expectedSegments.every((expected, index) => {
        const actual = segments[index] ?? '';
        if (expected !== ':id') return expected === actual;
        id = safeDecode(actual);
        return actual.length > 0;
      });
      if (matches) return { route, id, hasPathId: expectedSegments.includes(':id') };
    }
    return undefined;
  }
}

/** The `:id` path parameter checked as an OCID of `type`; `name` is the parameter's name in the API reference. */
export function pathOcid(id: string | undefined, type: string, name: string): string {
  const resourceType = ocidType(id);
  if (id === undefined || resourceType === undefined) throw invalidParameter(`Invalid ${name}: ${id ?? '(missing)'}`);
  // A well-formed OCID of another resource type names nothing here, which OCI reports as not found.
  if (resourceType !== type) throw notFound();
  return id;
}
