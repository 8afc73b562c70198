/**
 * doctor over a world on the fake OCI API with per-call latency, in this
 * process: the CLI's own wiring (`doctorOverTarget`) over a target whose
 * embedded fake the bench can slow down and count. `--world` starts the
 * same fake without latency, which is why the bench builds the target here.
 */
import { doctorOverTarget } from '../../src/cli/doctor';
import { embeddedAuthProvider } from '../../src/cli/embedded-credentials';
import type { Target } from '../../src/cli/target';
import { loadConfig } from '../../src/config';
import type { DoctorReport } from '../../src/iam/doctor';
import { startEmbeddedApi } from '../../src/local/embedded';
import type { ApiCall } from '../../src/local/fake-oci-api';
import { parseWorld } from '../../src/local/world';
import { silentLogger } from '../../src/log';
import { lazyOci } from '../../src/runtime';

export interface DoctorBenchRun {
  readonly report: DoctorReport;
  readonly wallMs: number;
  readonly calls: readonly ApiCall[];
}

/** Runs doctor once over `worldJson` with the fake answering each call after `latencyMs`. */
export async function runDoctorOnFake(
  worldJson: unknown,
  latencyMs: number,
  run: { readonly compartmentIds: readonly string[]; readonly functionId: string },
): Promise<DoctorBenchRun> {
  const embedded = await startEmbeddedApi(parseWorld(worldJson, 'bench world'), { latencyMs });
  const config = loadConfig({
    compartment_id: run.compartmentIds.join(','),
    oci_auth: 'config_file',
    compute_endpoint: embedded.url,
    containerengine_endpoint: embedded.url,
  });
  const target: Target = {
    ...lazyOci({ config, provider: async () => embeddedAuthProvider(embedded.credentials) }),
    config,
    embedded,
    description: 'bench world on the fake',
    writeWorld: async () => {},
    close: () => embedded.stop(),
  };
  try {
    const started = performance.now();
    const report = await doctorOverTarget(target, { functionId: run.functionId, timeoutSeconds: 300, logger: silentLogger });
    return { report, wallMs: performance.now() - started, calls: embedded.api.calls };
  } finally {
    await target.close();
  }
}
