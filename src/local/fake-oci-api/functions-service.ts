/** Functions (API version 20181201, the management API): the function's settings and config. */
import { FUNCTION_STATES } from '../world-operations';
import type { WorldFunction } from '../world-types';
import { missingParameter, notFound } from './api-error';
import { contentEtag } from './etags';
import { pageOf, SORT_ORDERS, sortItems } from './paging';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type FunctionsOperation = 'GetFunction' | 'ListFunctions';

/** The Functions routes over the shared state. Events shares the API version, under other paths. */
export const functionsService: OciService<FunctionsOperation> = (state) => {
  const functions = new FunctionsHandlers(state);
  return [
    { method: 'GET', path: '/20181201/functions', operation: 'ListFunctions', handle: (c) => functions.listFunctions(c) },
    { method: 'GET', path: '/20181201/functions/:id', operation: 'GetFunction', handle: (c) => functions.getFunction(c) },
  ];
};

/** The `sortBy` values of ListFunctions (`ListFunctionsRequest.SortBy`, field names as they are). */
const SORT_FIELDS: readonly string[] = ['timeCreated', 'id', 'displayName'];

class FunctionsHandlers {
  constructor(private readonly state: ServiceState) {}

  getFunction({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const functionId = pathOcid(id, 'fnfunc', 'functionId');
    const fn = this.functions().find((candidate) => candidate.id === functionId);
    if (fn === undefined) throw notFound();
    return { status: 200, body: fn, etag: contentEtag(fn) };
  }

  listFunctions({ query }: RequestContext): Reply {
    query.allowOnly(['applicationId', 'limit', 'page', 'lifecycleState', 'displayName', 'id', 'sortOrder', 'sortBy']);
    const applicationId = query.optionalOcid('applicationId', 'fnapp');
    if (applicationId === undefined) throw missingParameter('applicationId');
    const [lifecycleState] = query.enumValues('lifecycleState', FUNCTION_STATES);
    const displayName = query.optional('displayName');
    const functionId = query.optional('id');
    const [sortBy] = query.enumValues('sortBy', SORT_FIELDS);
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const summaries = this.functions()
      .filter(
        (fn) =>
          fn.applicationId === applicationId &&
          (lifecycleState === undefined || fn.lifecycleState === lifecycleState) &&
          (displayName === undefined || fn.displayName === displayName) &&
          (functionId === undefined || fn.id === functionId),
      )
      // FunctionSummary has no config; only GetFunction returns it.
      .map(({ config: _config, ...summary }) => summary);
    // OCI sorts by displayName unless told otherwise.
    const sorted = sortItems(summaries, sortBy ?? 'displayName', sortOrder);
    return { status: 200, ...pageOf(sorted, 'ListFunctions', query, this.state.pageSize) };
  }

  private functions(): WorldFunction[] {
    return this.state.world.functions ?? [];
  }
}
