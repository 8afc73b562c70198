/**
 * The Terraform of deploy/terraform as data: every `.tf` file parsed with a
 * real HCL2 parser (@cdktf/hcl2json, the HashiCorp parser compiled to WASM,
 * offline), merged per directory, and checked against the provider schema
 * facts of test/fixtures/terraform-oci-schema.json.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

export const TERRAFORM_DIR = join(__dirname, '..', '..', 'deploy', 'terraform');
export const MODULE_DIR = join(TERRAFORM_DIR, 'modules', 'oke-nodepool-tagger');
export const EXAMPLE_DIR = join(TERRAFORM_DIR, 'examples', 'complete');

/** A block body as hcl2json gives it: attributes as values (expressions as "${…}"), nested blocks as arrays of bodies. */
export type Body = Record<string, unknown>;

/** The top-level constructs of one directory. */
export interface TerraformConfig {
  readonly resources: readonly { readonly type: string; readonly label: string; readonly body: Body }[];
  readonly dataSources: readonly { readonly type: string; readonly label: string; readonly body: Body }[];
  readonly variables: ReadonlyMap<string, Body>;
  readonly outputs: ReadonlyMap<string, Body>;
  readonly modules: ReadonlyMap<string, Body>;
  readonly locals: Body;
  readonly terraform: readonly Body[];
}

interface ArgumentSchema {
  readonly required?: boolean;
}
export interface BlockSchema {
  readonly required?: boolean;
  readonly maxItems?: number;
  readonly deprecated?: string;
  readonly conflictsWith?: readonly string[];
  readonly arguments?: Record<string, ArgumentSchema>;
  readonly blocks?: Record<string, BlockSchema>;
}
export const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'terraform-oci-schema.json'), 'utf8')) as {
  readonly provider: { readonly source: string; readonly version: string };
  readonly metaArguments: readonly string[];
  readonly resources: Record<string, BlockSchema & { readonly source: string; readonly version: string }>;
  readonly dataSources: Record<string, BlockSchema>;
};

/** Every `.tf` file under `dir`, recursively, as paths relative to it. */
export function terraformFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.tf'))
    .sort();
}

/** Parses HCL text; rejects with the parser's message on a syntax error. */
export async function parseHcl(name: string, text: string): Promise<Record<string, unknown>> {
  return (await parse(name, text)) as Record<string, unknown>;
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for the value of a nested block: an array of bodies. */
export function isBlockList(value: unknown): value is Body[] {
  return Array.isArray(value) && value.length > 0 && value.every(isBody);
}

function entries(value: unknown): [string, Body[]][] {
  return isBody(value) ? Object.entries(value).map(([key, bodies]) => [key, bodies as Body[]]) : [];
}

/** Parses and merges the `.tf` files directly in `dir` (one Terraform module). */
export async function loadTerraform(dir: string): Promise<TerraformConfig> {
  const files = readdirSync(dir).filter((file) => file.endsWith('.tf'));
  const config = {
    resources: [] as { type: string; label: string; body: Body }[],
    dataSources: [] as { type: string; label: string; body: Body }[],
    variables: new Map<string, Body>(),
    outputs: new Map<string, Body>(),
    modules: new Map<string, Body>(),
    locals: {} as Body,
    terraform: [] as Body[],
  };
  for (const file of files) {
    const parsed = await parseHcl(file, readFileSync(join(dir, file), 'utf8'));
    for (const [type, labels] of entries(parsed['resource']))
      for (const [label, bodies] of entries(labels)) config.resources.push({ type, label, body: bodies[0] ?? {} });
    for (const [type, labels] of entries(parsed['data']))
      for (const [label, bodies] of entries(labels)) config.dataSources.push({ type, label, body: bodies[0] ?? {} });
    for (const [name, bodies] of entries(parsed['variable'])) config.variables.set(name, bodies[0] ?? {});
    for (const [name, bodies] of entries(parsed['output'])) config.outputs.set(name, bodies[0] ?? {});
    for (const [name, bodies] of entries(parsed['module'])) config.modules.set(name, bodies[0] ?? {});
    for (const locals of (parsed['locals'] as Body[] | undefined) ?? []) Object.assign(config.locals, locals);
    config.terraform.push(...((parsed['terraform'] as Body[] | undefined) ?? []));
  }
  return config;
}

/** What `schema` refuses in `body` (a resource body or a nested block), each problem naming where. */
export function schemaProblems(body: Body, schema: BlockSchema, where: string, meta: readonly string[] = []): string[] {
  const problems: string[] = [];
  const args = schema.arguments ?? {};
  const blocks = schema.blocks ?? {};
  for (const [name, value] of Object.entries(body)) {
    if (meta.includes(name)) continue;
    const childSchema = blocks[name];
    if (childSchema !== undefined) {
      if (!isBlockList(value)) problems.push(`${where}: ${name} must be a block`);
      else {
        if (childSchema.deprecated !== undefined) problems.push(`${where}: block ${name} is deprecated (${childSchema.deprecated})`);
        for (const other of childSchema.conflictsWith ?? []) if (other in body) problems.push(`${where}: ${name} conflicts with ${other}`);
        if (childSchema.maxItems !== undefined && value.length > childSchema.maxItems)
          problems.push(`${where}: more than ${childSchema.maxItems} ${name} block(s)`);
        for (const child of value) problems.push(...schemaProblems(child, childSchema, `${where}.${name}`));
      }
    } else if (args[name] === undefined) problems.push(`${where}: ${name} is not in the schema`);
    else if (isBlockList(value)) problems.push(`${where}: ${name} is an argument, written as a block`);
  }
  for (const [name, argument] of Object.entries(args))
    if (argument.required && !(name in body)) problems.push(`${where}: required argument ${name} is missing`);
  for (const [name, childSchema] of Object.entries(blocks))
    if (childSchema.required && !(name in body)) problems.push(`${where}: required block ${name} is missing`);
  return problems;
}

/** The `oci` entry of a `terraform { required_providers { … } }` block, if any. */
export function ociRequirement(config: TerraformConfig): Body | undefined {
  for (const block of config.terraform)
    for (const providers of (block['required_providers'] as Body[] | undefined) ?? [])
      if (isBody(providers['oci'])) return providers['oci'];
  return undefined;
}

/** The text of an expression as hcl2json writes it: `${…}` unwrapped; other values as JSON. */
export function expression(value: unknown): string {
  if (typeof value === 'string') {
    const whole = /^\$\{([\s\S]*)\}$/.exec(value);
    return whole ? (whole[1] as string) : value;
  }
  return JSON.stringify(value);
}
