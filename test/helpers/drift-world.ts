/** The drift fixture world (one node of every reconcile action) and the compartments that cover it. */
import { join } from 'node:path';
import { REPO_ROOT } from './run-cli';

export const DRIFT_WORLD = join(REPO_ROOT, 'test/fixtures/worlds/drift.json');

export const DRIFT_WORKERS_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexampleworkerscompartment0000000000000000000000';
export const DRIFT_CLUSTERS_COMPARTMENT = 'ocid1.compartment.oc1..aaaaaaaaexampleclusterscompartment000000000000000000000';

/** `--compartment` flags for both compartments of {@link DRIFT_WORLD}. */
export const DRIFT_SCOPE: readonly string[] = ['--compartment', DRIFT_WORKERS_COMPARTMENT, '--compartment', DRIFT_CLUSTERS_COMPARTMENT];
