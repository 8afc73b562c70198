/**
 * The `doctor` use case: read everything once ({@link readDoctorFacts}),
 * then run the pure checks over the facts, in the order the README lists
 * them: tags, the function, the identity domains, its rights, Events, the schedule, the pools'
 * groups, who else can tag, and the nodes.
 */
import type { AccessPorts } from './access-model';
import { checkDomains } from './doctor-domains';
import { checkEvents } from './doctor-events';
import { checkFunction } from './doctor-function';
import { doctorExitCode, type CheckResult, type DoctorFacts, type DoctorSettings } from './doctor-model';
import { checkNodes } from './doctor-nodes';
import { planForFacts } from './doctor-plan';
import { checkPoolGroups } from './doctor-pool-groups';
import { readDoctorFacts, type DoctorReadDeps } from './doctor-read';
import { checkRights } from './doctor-rights';
import { checkSchedule } from './doctor-schedule';
import { checkTags } from './doctor-tags';
import { checkWhoCanTag } from './doctor-who-can-tag';

export type { CheckResult, CheckStatus, DoctorFacts, DoctorSettings } from './doctor-model';

/** The report: every check's result and the exit code they map to. */
export interface DoctorReport {
  readonly checks: readonly CheckResult[];
  readonly exitCode: number;
}

/** Runs every check over facts already read. Pure. */
export function runChecks(facts: DoctorFacts): CheckResult[] {
  const plan = planForFacts(facts);
  return [
    ...checkTags(facts),
    ...checkFunction(facts),
    ...checkDomains(facts),
    ...checkRights(facts, plan),
    ...checkEvents(facts, plan),
    ...checkSchedule(facts, plan),
    ...checkPoolGroups(facts, plan),
    ...checkWhoCanTag(facts),
    ...checkNodes(facts),
  ];
}

/** Reads the deployment and checks it. */
export async function doctor(ports: AccessPorts, settings: DoctorSettings, deps: DoctorReadDeps): Promise<DoctorReport> {
  const facts = await readDoctorFacts(ports, settings, deps);
  const checks = runChecks(facts);
  return { checks, exitCode: doctorExitCode(checks) };
}
