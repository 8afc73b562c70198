/**
 * Checks the generated Terraform of every golden case against the OCI
 * provider's resource schemas (test/fixtures/terraform-oci-schema.json, read
 * from terraform-provider-oci) and against the layout `terraform fmt` writes:
 * 2-space indents and aligned `=` within a run of one-line attributes.
 * `.ci/run` also runs `terraform fmt -check` on the golden files when a
 * terraform binary is on PATH.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IamPlan } from '../../src/iam/plan';
import { caseArgs, FUNCTION_ID, IAM_CASES, iam } from '../fixtures/iam/cases';
import { layoutProblems } from '../helpers/hcl-layout';

interface ArgumentSchema {
  readonly required?: boolean;
}
interface BlockSchema {
  readonly required?: boolean;
  readonly maxItems?: number;
  readonly deprecated?: string;
  readonly conflictsWith?: readonly string[];
  readonly arguments?: Record<string, ArgumentSchema>;
  readonly blocks?: Record<string, BlockSchema>;
}
interface ResourceSchema extends BlockSchema {
  readonly source: string;
  readonly version: string;
}
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'terraform-oci-schema.json'), 'utf8')) as {
  readonly provider: { readonly source: string; readonly version: string };
  readonly metaArguments: readonly string[];
  readonly resources: Record<string, ResourceSchema>;
  readonly dataSources: Record<string, ResourceSchema>;
};

/** A block of the generated HCL: its type, labels, one-line or multi-line attribute values, and nested blocks. */
interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly attributes: Map<string, string>;
  readonly blocks: HclBlock[];
}

const BLOCK_OPEN = /^\s*([a-z_]+)((?: "[^"]*")*) \{$/;
const ATTRIBUTE = /^\s*([a-z_]+)( +)= (.*)$/;

/** Parses the layout the generator writes (one construct per line); throws on a line it does not understand. */
function parseHcl(text: string): HclBlock {
  const root: HclBlock = { type: '', labels: [], attributes: new Map(), blocks: [] };
  const stack: HclBlock[] = [root];
  let open: { name: string; lines: string[]; depth: number } | undefined;
  for (const line of text.split('\n')) {
    const current = stack[stack.length - 1] as HclBlock;
    if (open !== undefined) {
      open.lines.push(line.trim());
      open.depth += (/[[{]$/.test(line) ? 1 : 0) - (/^\s*[\]}]/.test(line) ? 1 : 0);
      if (open.depth === 0) {
        current.attributes.set(open.name, open.lines.join(' '));
        open = undefined;
      }
      continue;
    }
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const block = BLOCK_OPEN.exec(line);
    const attribute = ATTRIBUTE.exec(line);
    if (block) {
      const child: HclBlock = {
        type: block[1] as string,
        labels: [...(block[2] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1] as string),
        attributes: new Map(),
        blocks: [],
      };
      current.blocks.push(child);
      stack.push(child);
    } else if (attribute && /[[{]$/.test(attribute[3] as string))
      open = { name: attribute[1] as string, lines: [attribute[3] as string], depth: 1 };
    else if (attribute) current.attributes.set(attribute[1] as string, attribute[3] as string);
    else if (/^\s*\}$/.test(line) && stack.length > 1) stack.pop();
    else throw new Error(`unexpected line in the generated Terraform: ${JSON.stringify(line)}`);
  }
  return root;
}

/** What the schema refuses in `block` (a resource body or a nested block), each problem naming where. */
function schemaProblems(block: HclBlock, schema: BlockSchema, where: string, meta: readonly string[] = []): string[] {
  const problems: string[] = [];
  const args = schema.arguments ?? {};
  for (const name of block.attributes.keys())
    if (args[name] === undefined && !meta.includes(name)) problems.push(`${where}: argument ${name} is not in the schema`);
  for (const [name, argument] of Object.entries(args))
    if (argument.required && !block.attributes.has(name)) problems.push(`${where}: required argument ${name} is missing`);
  const present = new Set(block.blocks.map((child) => child.type));
  for (const child of block.blocks) {
    const childSchema = schema.blocks?.[child.type];
    if (childSchema === undefined) problems.push(`${where}: block ${child.type} is not in the schema`);
    else {
      if (childSchema.deprecated !== undefined) problems.push(`${where}: block ${child.type} is deprecated (${childSchema.deprecated})`);
      for (const other of childSchema.conflictsWith ?? [])
        if (present.has(other)) problems.push(`${where}: ${child.type} conflicts with ${other}`);
      problems.push(...schemaProblems(child, childSchema, `${where}.${child.type}`));
    }
  }
  for (const [name, childSchema] of Object.entries(schema.blocks ?? {})) {
    const count = block.blocks.filter((child) => child.type === name).length;
    if (childSchema.required && count === 0) problems.push(`${where}: required block ${name} is missing`);
    if (childSchema.maxItems !== undefined && count > childSchema.maxItems)
      problems.push(`${where}: more than ${childSchema.maxItems} ${name} block(s)`);
  }
  return problems;
}

/** What the schema of each block's type (its first label) refuses in `blocks`; `what` and `prefix` name them in problems. */
function typedBlockProblems(blocks: readonly HclBlock[], schemas: Record<string, ResourceSchema>, what: string, prefix: string): string[] {
  return blocks.flatMap((block) => {
    const [type, label] = block.labels;
    const schema = schemas[type ?? ''];
    return schema === undefined
      ? [`${what} ${type} is not in the schema`]
      : schemaProblems(block, schema, `${prefix}${type}.${label}`, SCHEMA.metaArguments);
  });
}

describe.each(IAM_CASES)('the generated Terraform for $name', (testCase) => {
  let terraform = '';
  let hcl: HclBlock;
  beforeAll(async () => {
    terraform = (await iam([...caseArgs(testCase), '--format', 'terraform'])).out;
    hcl = parseHcl(terraform);
  });

  it('uses only resource types, arguments and blocks of the provider schema, with every required one', () => {
    // Prepare
    const resources = hcl.blocks.filter((block) => block.type === 'resource');
    // Act
    const problems = typedBlockProblems(resources, SCHEMA.resources, 'resource type', '');
    // Assess
    expect(resources.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('uses only data sources and arguments of the provider schema, and reads from them only what the resource exports', () => {
    // Prepare
    const sources = hcl.blocks.filter((block) => block.type === 'data');
    // Act
    const problems = typedBlockProblems(sources, SCHEMA.dataSources, 'data source type', 'data.');
    const read = [...terraform.matchAll(/data\.(oci_[a-z_]+)\.[a-z_]+\.([a-z_]+)/g)].filter(
      ([, type, attribute]) => SCHEMA.resources[type ?? '']?.arguments?.[attribute ?? ''] === undefined,
    );
    // Assess
    expect(problems).toEqual([]);
    expect(read.map(([reference]) => reference)).toEqual([]);
  });

  it('requires the oracle/oci provider, pinned to the minor version the schema was read from', () => {
    // Prepare
    const [major, minor] = SCHEMA.provider.version.split('.');
    // Act
    const providers = hcl.blocks.find((block) => block.type === 'terraform')?.blocks.find((block) => block.type === 'required_providers');
    // Assess
    expect(providers?.attributes.get('oci')?.replace(/\s+/g, ' ')).toBe(
      `{ source = "${SCHEMA.provider.source}" version = "~> ${major}.${minor}" }`,
    );
  });

  it('is laid out as terraform fmt lays it out', () => {
    // Act
    const problems = layoutProblems(terraform);
    // Assess
    expect(problems).toEqual([]);
  });

  it('writes every matching rule on one line, as a quoted string', () => {
    // Prepare
    const groups = hcl.blocks.filter((block) => block.type === 'resource' && /dynamic_(resource_)?group$/.test(block.labels[0] ?? ''));
    // Act
    const rules = groups.map((group) => group.attributes.get('matching_rule') ?? '');
    // Assess
    expect(terraform).not.toMatch(/<</);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule).toMatch(/^"[^\n]*"$/);
  });
});

describe('the scheduled reconcile in the generated Terraform', () => {
  const resource = (hcl: HclBlock, type: string) => hcl.blocks.find((block) => block.type === 'resource' && block.labels[0] === type);

  it("invokes the function on the schedule with the reconcile body, and sets the function's detached timeout", async () => {
    // Prepare
    const args = [...caseArgs(IAM_CASES[0] as (typeof IAM_CASES)[number]), '--format', 'terraform'];
    const plan = JSON.parse((await iam([...caseArgs(IAM_CASES[0] as (typeof IAM_CASES)[number]), '--json'])).out) as IamPlan;
    // Act
    const hcl = parseHcl((await iam(args)).out);
    // Assess
    const schedule = resource(hcl, 'oci_resource_scheduler_schedule');
    expect(schedule?.attributes.get('recurrence_type')).toBe('"CRON"');
    expect(schedule?.attributes.get('recurrence_details')).toBe('"0 * * * *"');
    expect(schedule?.attributes.get('action')).toBe('"START_RESOURCE"');
    const target = schedule?.blocks.find((block) => block.type === 'resources');
    expect(target?.attributes.get('id')).toBe('local.function_id');
    const parameters = target?.blocks.find((block) => block.type === 'parameters');
    expect(parameters?.attributes.get('parameter_type')).toBe('"BODY"');
    expect(JSON.parse(JSON.parse(parameters?.attributes.get('value') ?? '[]')[0] as string)).toEqual(plan.reconcileSchedule?.body);
    expect(resource(hcl, 'oci_functions_function')?.attributes.get('detached_mode_timeout_in_seconds')).toBe('900');
  });

  it("matches the schedule's own OCID in its dynamic group, and grants that group in its policy", async () => {
    // Prepare
    const args = [...caseArgs(IAM_CASES[0] as (typeof IAM_CASES)[number]), '--format', 'terraform'];
    // Act
    const hcl = parseHcl((await iam(args)).out);
    // Assess
    const label = resource(hcl, 'oci_resource_scheduler_schedule')?.labels[1];
    const group = hcl.blocks.find((block) => block.labels[1] === 'dg_oke_nodepool_tagger_schedule');
    expect(group?.attributes.get('matching_rule')).toBe(
      `"ALL {resource.type='resourceschedule', resource.id='\${oci_resource_scheduler_schedule.${label}.id}'}"`,
    );
    const policy = hcl.blocks.find((block) => block.labels[1] === 'policy_oke_nodepool_tagger_schedule');
    expect(policy?.attributes.get('statements')).toContain('Allow dynamic-group oke-nodepool-tagger-schedule to manage functions-family');
  });

  it('prints the schedule commented out without --function-id', async () => {
    // Prepare
    const noFunction = IAM_CASES.find((testCase) => testCase.name === 'basic-no-function-id') as (typeof IAM_CASES)[number];
    // Act
    const terraform = (await iam([...caseArgs(noFunction), '--format', 'terraform'])).out;
    // Assess
    const hcl = parseHcl(terraform);
    expect(resource(hcl, 'oci_resource_scheduler_schedule')).toBeUndefined();
    expect(resource(hcl, 'oci_functions_function')).toBeUndefined();
    expect(terraform).toMatch(/^# resource "oci_resource_scheduler_schedule" /m);
    expect(terraform).toMatch(/^# {5}id = var\.function_id$/m);
  });

  it('leaves the schedule out with --reconcile-schedule none', async () => {
    // Prepare
    const args = [...caseArgs(IAM_CASES[0] as (typeof IAM_CASES)[number]), '--format', 'terraform', '--reconcile-schedule', 'none'];
    // Act
    const terraform = (await iam(args)).out;
    // Assess
    expect(terraform).not.toMatch(/oci_resource_scheduler_schedule|oci_functions_function|resourceschedule/);
  });
});

describe('the generated Terraform with --function-id', () => {
  it('takes the function of the Events action from the same value as the function group, with no variable to override it', async () => {
    // Prepare
    const args = [...caseArgs(IAM_CASES[0] as (typeof IAM_CASES)[number]), '--format', 'terraform'];
    // Act
    const hcl = parseHcl((await iam(args)).out);
    // Assess
    const variables = hcl.blocks.filter((block) => block.type === 'variable').map((block) => block.labels[0]);
    expect(variables).not.toContain('function_id');
    const local = hcl.blocks.find((block) => block.type === 'locals')?.attributes.get('function_id');
    expect(local).toBe(JSON.stringify(FUNCTION_ID));
    const actions = hcl.blocks
      .filter((block) => block.labels[0] === 'oci_events_rule')
      .flatMap((rule) => rule.blocks.flatMap((outer) => outer.blocks.map((inner) => inner.attributes.get('function_id'))));
    expect(actions.length).toBeGreaterThan(0);
    for (const functionId of actions) expect(functionId).toBe('local.function_id');
  });
});
