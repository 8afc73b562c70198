/** Core Services (API version 20160918): the instance operations. */
import { INSTANCE_STATES } from '../lifecycle-states';
import type { WorldInstance } from '../world-types';
import { ApiError, notFound } from './api-error';
import { refuseUpdateOfTerminated, validateInstanceUpdate } from './instance-update';
import { pageOf, SORT_ORDERS, sortItems } from './paging';
import { headerValue, parseJsonBody } from './request';
import { pathOcid, type OciService, type Reply, type RequestContext, type ServiceState } from './route-table';

export type ComputeOperation = 'GetInstance' | 'UpdateInstance' | 'ListInstances';

/** The Compute routes over the shared state. */
export const computeService: OciService<ComputeOperation> = (state) => {
  const compute = new ComputeHandlers(state);
  return [
    { method: 'GET', path: '/20160918/instances', operation: 'ListInstances', handle: (c) => compute.listInstances(c) },
    { method: 'GET', path: '/20160918/instances/:id', operation: 'GetInstance', handle: (c) => compute.getInstance(c) },
    { method: 'PUT', path: '/20160918/instances/:id', operation: 'UpdateInstance', handle: (c) => compute.updateInstance(c) },
  ];
};

class ComputeHandlers {
  constructor(private readonly state: ServiceState) {}

  getInstance({ id, query }: RequestContext): Reply {
    query.allowOnly([]);
    const instanceId = pathOcid(id, 'instance', 'instanceId');
    const instance = this.findInstance(instanceId);
    return {
      status: 200,
      body: instance,
      ...this.etagHeader('GetInstance', instanceId),
      afterSend: () => {
        for (const write of this.state.faults.takeTagWrites(instanceId)) {
          instance.definedTags = write.mutate(structuredClone(instance.definedTags));
          this.state.versions.bump(instanceId);
        }
      },
    };
  }

  listInstances({ query }: RequestContext): Reply {
    query.allowOnly(['compartmentId', 'availabilityDomain', 'displayName', 'lifecycleState', 'limit', 'page', 'sortBy', 'sortOrder']);
    const compartmentId = query.compartmentId();
    const availabilityDomain = query.optional('availabilityDomain');
    const displayName = query.optional('displayName');
    const [lifecycleState] = query.enumValues('lifecycleState', INSTANCE_STATES);
    const [sortBy] = query.enumValues('sortBy', ['TIMECREATED', 'DISPLAYNAME']);
    const [sortOrder] = query.enumValues('sortOrder', SORT_ORDERS);
    const matching = this.state.world.instances.filter(
      (instance) =>
        instance.compartmentId === compartmentId &&
        (availabilityDomain === undefined || instance.availabilityDomain === availabilityDomain) &&
        (displayName === undefined || instance.displayName === displayName) &&
        (lifecycleState === undefined || instance.lifecycleState === lifecycleState),
    );
    const sortField = sortBy === undefined ? undefined : sortBy === 'TIMECREATED' ? 'timeCreated' : 'displayName';
    // OCI sorts TIMECREATED newest first unless told otherwise, DISPLAYNAME A to Z.
    const order = sortOrder ?? (sortBy === 'TIMECREATED' ? 'DESC' : undefined);
    return { status: 200, ...pageOf(sortItems(matching, sortField, order), 'ListInstances', query, this.state.pageSize) };
  }

  updateInstance({ id, query, body, headers, call }: RequestContext): Reply {
    query.allowOnly([]);
    const instanceId = pathOcid(id, 'instance', 'instanceId');
    const details = parseJsonBody(body);
    call.sentFields = Object.keys(details);
    const ifMatch = headerValue(headers, 'if-match');
    if (ifMatch !== undefined) call.ifMatch = ifMatch;
    const instance = this.findInstance(instanceId);
    refuseUpdateOfTerminated(instance);
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== this.state.versions.etagOf(instanceId)) {
      throw new ApiError(412, 'NoEtagMatch', `The resource's etag does not match the value of the if-match header (${ifMatch}).`);
    }
    validateInstanceUpdate(details, this.state.world.tagNamespaces, instance.definedTags);
    for (const [field, value] of Object.entries(details)) instance[field] = structuredClone(value);
    this.state.versions.bump(instanceId);
    return { status: 200, body: instance, ...this.etagHeader('UpdateInstance', instanceId) };
  }

  /** The instance's ETag for a successful answer, unless a fault takes it away. */
  private etagHeader(operation: ComputeOperation, instanceId: string): { etag?: string } {
    return this.state.faults.takeOmittedEtag(operation, instanceId) ? {} : { etag: this.state.versions.etagOf(instanceId) };
  }

  private findInstance(instanceId: string): WorldInstance {
    const instance = this.state.world.instances.find((candidate) => candidate.id === instanceId);
    if (instance === undefined) throw notFound();
    return instance;
  }
}
