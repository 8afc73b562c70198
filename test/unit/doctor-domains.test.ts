import { doctorExitCode } from '../../src/iam/doctor-model';
import { result } from '../helpers/doctor-world';
import { checksAfter, ids } from '../helpers/doctor-world-domains';

describe('doctor: groups in identity domains it did not read', () => {
  it('is unknown, not fail, about a pool whose group lives in an identity domain that was not read, and names the domain', async () => {
    // Prepare / Act: the web pool's group moved to the Prod domain, which policies name but no --identity-domain-url read.
    const checks = await checksAfter({ readProd: false });

    // Assess
    expect(result(checks, 'identity-domains')).toMatchObject({ status: 'warn', fix: expect.stringContaining('--identity-domain-url') });
    expect(result(checks, 'identity-domains').found).toContain('Prod');
    expect(result(checks, `pools.group.${ids.webPool}`)).toMatchObject({ status: 'unknown', found: expect.stringContaining('Prod') });
    expect(doctorExitCode(checks)).toBe(1);
  });

  it('finds the group once the domain is read, and says so', async () => {
    // Act
    const checks = await checksAfter({ readProd: true });

    // Assess
    expect(result(checks, 'identity-domains')).toMatchObject({ status: 'ok', found: expect.stringContaining('Prod') });
    expect(result(checks, `pools.group.${ids.webPool}`).status).toBe('ok');
  });

  it('still fails a pool without any group when every domain the policies name was read', async () => {
    // Act
    const checks = await checksAfter({ readProd: true, dropProdGroup: true });

    // Assess
    expect(result(checks, `pools.group.${ids.webPool}`).status).toBe('fail');
    expect(doctorExitCode(checks)).toBe(3);
  });
});
