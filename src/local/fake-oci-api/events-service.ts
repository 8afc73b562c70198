/** Events (API version 20181201): the rules that route events to the function. */
import { RULE_STATES } from '../world-operations';
import type { WorldEventRule } from '../world-types';
import { invalidParameter, notFound } from './api-error';
import { contentEtag } from './etags';
import { pageOf, SORT_ORDERS, sortItems } from './paging';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type EventsOperation = 'ListRules' | 'GetRule';

/** The Events routes over the shared state. Functions shares the API version, under other paths. */
export const eventsService: OciService<EventsOperation> = (state) => {
  const events = new EventsHandlers(state);
  return [
    { method: 'GET', path: '/20181201/rules', operation: 'ListRules', handle: (c) => events.listRules(c) },
    { method: 'GET', path: '/20181201/rules/:id', operation: 'GetRule', handle: (c) => events.getRule(c) },
  ];
};

/** The `sortBy` values of ListRules (`ListRulesRequest.SortBy`) and the fields they sort on. */
const SORT_FIELDS: Readonly<Record<string, string>> = { TIME_CREATED: 'timeCreated', ID: 'id', DISPLAY_NAME: 'displayName' };

/** ListRules documents 50 as its largest page, below the fake's general 1000. */
const MAX_RULES_LIMIT = 50;

class EventsHandlers {
  constructor(private readonly state: ServiceState) {}

  listRules({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'limit', 'page', 'lifecycleState', 'displayName', 'sortBy', 'sortOrder']);
    const compartmentId = query.compartmentId();
    const [lifecycleState] = query.enumValues('lifecycleState', RULE_STATES);
    const displayName = query.optional('displayName');
    const [sortBy] = query.enumValues('sortBy', Object.keys(SORT_FIELDS));
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const limit = query.limit();
    if (limit !== undefined && limit > MAX_RULES_LIMIT) throw invalidParameter(`Invalid limit: ${limit} (expected 1..${MAX_RULES_LIMIT})`);
    const summaries = this.rules()
      .filter(
        (rule) =>
          rule.compartmentId === compartmentId &&
          (lifecycleState === undefined || rule.lifecycleState === lifecycleState) &&
          (displayName === undefined || rule.displayName === displayName),
      )
      // RuleSummary carries no actions; only GetRule returns them.
      .map(({ actions: _actions, ...summary }) => summary);
    const sorted = sortItems(summaries, sortBy === undefined ? undefined : SORT_FIELDS[sortBy], sortOrder);
    // The answer is a bare JSON array of RuleSummary, paged with opc-next-page.
    return { status: 200, ...pageOf(sorted, 'ListRules', query, this.state.pageSize) };
  }

  getRule({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const ruleId = pathOcid(id, 'eventrule', 'ruleId');
    const rule = this.rules().find((candidate) => candidate.id === ruleId);
    if (rule === undefined) throw notFound();
    return { status: 200, body: rule, etag: contentEtag(rule) };
  }

  private rules(): WorldEventRule[] {
    return this.state.world.rules ?? [];
  }
}
