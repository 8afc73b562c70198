/**
 * The OCI services the fake serves. Adding one is writing its file (an
 * {@link OciService} and its operation names) and listing it here.
 */
import { computeService, type ComputeOperation } from './compute-service';
import { containerEngineService, type ContainerEngineOperation } from './container-engine-service';
import { identityService, type IdentityOperation } from './identity-service';
import { identityDomainsService, type IdentityDomainsOperation } from './identity-domains-service';
import { eventsService, type EventsOperation } from './events-service';
import { functionsService, type FunctionsOperation } from './functions-service';
import { resourceSchedulerService, type ResourceSchedulerOperation } from './resource-scheduler-service';
import type { OciService } from './route-table';

/** The API operations the fake serves, named as in the OCI API reference. */
export type OciOperation =
  | ComputeOperation
  | ContainerEngineOperation
  | IdentityOperation
  | IdentityDomainsOperation
  | EventsOperation
  | FunctionsOperation
  | ResourceSchedulerOperation;

export const SERVICES: readonly OciService<OciOperation>[] = [
  computeService,
  containerEngineService,
  identityService,
  identityDomainsService,
  eventsService,
  functionsService,
  resourceSchedulerService,
];
