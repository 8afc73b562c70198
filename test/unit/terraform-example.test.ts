/**
 * The example root of deploy/terraform (examples/complete, also the stack's
 * root): it passes every input of the module through, takes exactly the
 * inputs `iam --format tfvars` prints in the shape it prints them, and its
 * terraform.tfvars.example and the README's table of inputs cover it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseArgs, IAM_CASES, iam } from '../fixtures/iam/cases';
import { layoutProblems } from '../helpers/hcl-layout';
import {
  EXAMPLE_DIR,
  expression,
  loadTerraform,
  MODULE_DIR,
  ociRequirement,
  parseHcl,
  type Body,
  type TerraformConfig,
} from '../helpers/terraform-module';

let root: TerraformConfig;
let tagger: TerraformConfig;
beforeAll(async () => {
  root = await loadTerraform(EXAMPLE_DIR);
  tagger = await loadTerraform(MODULE_DIR);
});

/** The attribute names of `map(object({ … }))`. */
function objectAttributes(type: unknown): string[] {
  const match = /^map\(object\(\{([\s\S]*)\}\)\)$/.exec(expression(type));
  return [...(match?.[1] ?? '').matchAll(/([a-z_]+)\s*=\s*string/g)].map((m) => m[1] as string).sort();
}

describe('the example root', () => {
  it("requires the module's provider and passes every module input through from a root variable of the same name", () => {
    // Act
    const call = root.modules.get('oke_nodepool_tagger') ?? {};
    const passed = Object.entries(call).filter(([name]) => name !== 'source');
    // Assess
    expect(call['source']).toBe('../../modules/oke-nodepool-tagger');
    expect(ociRequirement(root)).toEqual(ociRequirement(tagger));
    expect(passed.map(([name]) => name).sort()).toEqual([...tagger.variables.keys()].sort());
    for (const [name, value] of passed) expect(value).toBe(`\${var.${name}}`);
  });

  it("declares the module's variables with the same type, default and description, and the region", () => {
    // Prepare
    const shape = (body: Body) => ({
      type: body['type'],
      default: body['default'],
      description: body['description'],
      validation: body['validation'],
    });
    // Act
    const differing = [...tagger.variables].filter(
      ([name, body]) => JSON.stringify(shape(root.variables.get(name) ?? {})) !== JSON.stringify(shape(body)),
    );
    // Assess
    expect(differing.map(([name]) => name)).toEqual([]);
    expect([...root.variables.keys()].sort()).toEqual([...tagger.variables.keys(), 'region'].sort());
  });

  it.each(IAM_CASES.filter((testCase) => !testCase.flags.includes('--identity-domain')))(
    'takes exactly the inputs iam --format tfvars prints for $name, node_pool_groups in the shape of its type',
    async (testCase) => {
      // Prepare
      const printed = (await iam([...caseArgs(testCase), '--format', 'tfvars'])).out;
      // Act
      const values = await parseHcl('node-pools.auto.tfvars', printed);
      const groups = Object.values(values['node_pool_groups'] as Record<string, Body>);
      // Assess
      expect(Object.keys(values).filter((name) => !root.variables.has(name))).toEqual([]);
      expect(groups.length).toBeGreaterThan(0);
      const attributes = objectAttributes(root.variables.get('node_pool_groups')?.['type']);
      expect(attributes).toEqual(['description', 'matching_rule', 'name']);
      for (const group of groups) {
        expect(Object.keys(group).sort()).toEqual(attributes);
        for (const value of Object.values(group)) expect(typeof value).toBe('string');
      }
      expect(layoutProblems(printed)).toEqual([]);
    },
  );

  it('has an example terraform.tfvars that sets every required variable and only variables it declares', async () => {
    // Prepare
    const text = readFileSync(join(EXAMPLE_DIR, 'terraform.tfvars.example'), 'utf8');
    const required = [...root.variables].filter(([, body]) => !('default' in body)).map(([name]) => name);
    // Act
    const values = await parseHcl('terraform.tfvars', text);
    // Assess
    expect(Object.keys(values).filter((name) => !root.variables.has(name))).toEqual([]);
    expect(required.filter((name) => !(name in values))).toEqual([]);
    expect(layoutProblems(text)).toEqual([]);
  });

  it('is documented in the README, one row per variable with its type and default', () => {
    // Prepare
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    // Act
    const rows = new Map(
      [...readme.matchAll(/^\| `([a-z_]+)` \| (.+?) \| (.+?) \| .+ \|$/gm)].map((m) => [m[1] as string, { type: m[2], fallback: m[3] }]),
    );
    // Assess
    for (const [name, body] of root.variables) {
      expect({ name, type: rows.get(name)?.type }).toEqual({ name, type: `\`${expression(body['type'])}\``.replace(/\s+/g, ' ') });
      expect({ name, fallback: rows.get(name)?.fallback }).toEqual({
        name,
        fallback: 'default' in body ? `\`${JSON.stringify(body['default'])}\`` : 'required',
      });
    }
  });
});

describe('iam --format tfvars', () => {
  it('refuses an identity domain other than Default, whose groups the module cannot create', async () => {
    // Prepare
    const testCase = IAM_CASES.find((entry) => entry.flags.includes('--identity-domain')) as (typeof IAM_CASES)[number];
    // Act
    const run = iam([...caseArgs(testCase), '--format', 'tfvars']);
    // Assess
    await expect(run).rejects.toThrow(/--format tfvars: the Terraform module creates dynamic groups in the Default identity domain only/);
  });
});
