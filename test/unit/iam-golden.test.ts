/**
 * Golden-output tests of `iam` over the world files in test/fixtures/iam/.
 * The default run compares the full output with the golden files and never
 * writes. To regenerate them after an intended change:
 *
 *   UPDATE_GOLDEN=1 npx jest test/unit/iam-golden
 *
 * and review the diff of test/fixtures/iam/golden/ before committing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IamPlan } from '../../src/iam/plan';
import { checkMatchingRule, checkPolicyStatement } from '../../src/iam/validate';
import { caseArgs, IAM_CASES as CASES, IAM_GOLDEN as GOLDEN, iam } from '../fixtures/iam/cases';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

const FORMATS = [
  { format: 'cli', extension: 'sh', flags: [] as string[] },
  { format: 'terraform', extension: 'tf', flags: ['--format', 'terraform'] },
  { format: 'json', extension: 'json', flags: ['--json'] },
  { format: 'tfvars', extension: 'tfvars', flags: ['--format', 'tfvars'] },
] as const;

/** The module of deploy/terraform creates Default-domain groups only, so --format tfvars refuses other domains. */
function printsFormat(testCase: (typeof CASES)[number], format: (typeof FORMATS)[number]['format']): boolean {
  return format !== 'tfvars' || !testCase.flags.includes('--identity-domain');
}

function compareWithGolden(file: string, actual: string): void {
  const path = join(GOLDEN, file);
  if (UPDATE) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; generate it with UPDATE_GOLDEN=1 npx jest test/unit/iam-golden`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('iam golden outputs', () => {
  for (const testCase of CASES) {
    for (const { format, extension, flags } of FORMATS.filter((entry) => printsFormat(testCase, entry.format))) {
      it(`prints the expected ${format} setup for ${testCase.name}`, async () => {
        // Prepare
        const args = [...caseArgs(testCase), ...flags];
        // Act
        const result = await iam(args);
        // Assess
        expect(result.code).toBe(0);
        compareWithGolden(`${testCase.name}.${extension}`, result.out);
      });
    }

    it(`generates only valid rules and statements for ${testCase.name}, and prints each of them in both formats`, async () => {
      // Prepare
      const base = caseArgs(testCase);
      // Act
      const plan = JSON.parse((await iam([...base, '--json'])).out) as IamPlan;
      const script = (await iam(base)).out;
      const terraform = (await iam([...base, '--format', 'terraform'])).out;
      // Assess
      const statements = [...plan.policies.flatMap((policy) => policy.statements), ...plan.examples, ...plan.restrictionExamples];
      for (const group of plan.dynamicGroups) expect(checkMatchingRule(group.matchingRule)).toEqual([]);
      for (const statement of statements) expect(checkPolicyStatement(statement)).toEqual([]);
      for (const output of [script, terraform]) {
        expect(output).not.toMatch(/all-resources/i);
        expect(output).not.toMatch(/manage\s+instance-family/i);
      }
      for (const group of plan.dynamicGroups) expect(terraform).toContain(JSON.stringify(group.matchingRule).replace(/\$\{/g, '$${'));
      for (const statement of plan.policies.flatMap((policy) => policy.statements)) expect(terraform).toContain(JSON.stringify(statement));
    });

    it(`prints a bash script for ${testCase.name} that bash can parse`, async () => {
      // Prepare
      const args = caseArgs(testCase);
      // Act
      const script = (await iam(args)).out;
      const parsed = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      // Assess
      expect(parsed.stderr).toBe('');
      expect(parsed.status).toBe(0);
    });
  }
});
