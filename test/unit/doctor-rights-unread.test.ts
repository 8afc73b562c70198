import { doctorExitCode } from '../../src/iam/doctor-model';
import { MemoryAccessCloud, notAuthorized } from '../helpers/memory-access-ports';
import { healthyWorld, result, runDoctorOver, TENANCY } from '../helpers/doctor-world';

describe("doctor: the function's rights when the compartment tree could not be read", () => {
  it('is unknown, naming inspect compartments, about a grant whose compartment path cannot be resolved', async () => {
    // Prepare
    const cloud = new MemoryAccessCloud(healthyWorld());
    cloud.failures.set(`ListCompartments ${TENANCY}`, notAuthorized('ListCompartments', TENANCY));

    // Act
    const { checks } = await runDoctorOver(cloud);

    // Assess
    const reads = checks.filter((check) => check.id === 'rights.1' || check.id === 'rights.2');
    expect(reads.map((check) => check.status)).toEqual(['unknown', 'unknown']);
    for (const check of reads) expect(check.grant).toContain('inspect compartments');
    expect(result(checks, 'rights.3').status).toBe('ok');
    expect(doctorExitCode(checks)).toBe(1);
  });
});
