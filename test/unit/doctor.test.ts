import { doctorExitCode, type CheckResult } from '../../src/iam/doctor-model';
import { doctorOver, healthyWorld } from '../helpers/doctor-world';

function withStatus(status: CheckResult['status']): CheckResult {
  return { id: `check.${status}`, title: status, status, found: '', fix: '' };
}

describe('doctor over a healthy deployment', () => {
  it('answers ok to every check and maps to exit 0', async () => {
    const world = healthyWorld();

    const report = await doctorOver(world);

    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(report.checks.map((check) => check.id)).toEqual([
      'tags.namespace',
      `tags.key.oke-nodepool-name`,
      'function.exists',
      'function.config',
      'rights.group',
      'rights.1',
      'rights.2',
      'rights.3',
      'rights.4',
      expect.stringMatching(/^events\.instances\./),
      expect.stringMatching(/^events\.pools\./),
      'events.duplicates',
      'events.policy',
      'schedule.exists',
      'schedule.enabled',
      'schedule.body',
      'schedule.timeout',
      expect.stringMatching(/^pools\.group\./),
      expect.stringMatching(/^pools\.group\./),
      'who-can-tag.policies',
      'who-can-tag.rules',
      'nodes',
    ]);
    expect(report.exitCode).toBe(0);
  });
});

describe('doctor exit codes', () => {
  it.each([
    [['ok', 'warn'], 0],
    [['ok', 'unknown', 'warn'], 1],
    [['unknown', 'fail'], 3],
    [['fail'], 3],
    [[], 0],
  ] as const)('maps %j to %i', (statuses, code) => {
    const results = statuses.map(withStatus);

    const exitCode = doctorExitCode(results);

    expect(exitCode).toBe(code);
  });
});
