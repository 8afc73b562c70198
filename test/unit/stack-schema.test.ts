/**
 * The Resource Manager stack: schema.yaml lists exactly the variables of the
 * root it ships with (examples/complete), and the zip that
 * scripts/stack-zip.mjs builds holds that root, schema.yaml and the module at
 * the path the root's module source names, each file byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EXAMPLE_DIR, loadTerraform, MODULE_DIR, TERRAFORM_DIR, type TerraformConfig } from '../helpers/terraform-module';

interface StackSchema {
  readonly variableGroups: readonly { readonly title: string; readonly variables: readonly string[] }[];
  readonly variables: Record<string, { readonly type: string; readonly required?: boolean }>;
}

/** The entries of a zip of STORE entries, read from its central directory; each entry's CRC-32 is checked. */
function readZip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central directory header at ${at}`);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const stored = bytes.subarray(start, start + size);
    if (method !== 0) throw new Error(`${name} is not stored (method ${method})`);
    const data = stored;
    if (crc32(data) !== crc) throw new Error(`CRC-32 mismatch in ${name}`);
    entries.set(name, data);
    at += 46 + nameLength + extraLength;
  }
  return entries;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

let root: TerraformConfig;
let schema: StackSchema;
beforeAll(async () => {
  root = await loadTerraform(EXAMPLE_DIR);
  schema = parseYaml(readFileSync(join(TERRAFORM_DIR, 'schema.yaml'), 'utf8')) as StackSchema;
});

describe('the stack schema.yaml', () => {
  it("lists the root's variables and no other", () => {
    // Act
    const listed = Object.keys(schema.variables).sort();
    // Assess
    expect(listed).toEqual([...root.variables.keys()].sort());
  });

  it('lists every required root variable as required', () => {
    // Prepare
    const required = [...root.variables].filter(([, body]) => !('default' in body)).map(([name]) => name);
    // Act
    const missing = required.filter((name) => schema.variables[name]?.required !== true);
    // Assess
    expect(required).toEqual(expect.arrayContaining(['image', 'image_digest', 'subnet_ids', 'compartment_ocid', 'region']));
    expect(missing).toEqual([]);
  });

  it('puts every variable in exactly one group', () => {
    // Act
    const grouped = schema.variableGroups.flatMap((group) => group.variables);
    // Assess
    expect([...grouped].sort()).toEqual(Object.keys(schema.variables).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });
});

describe('the stack zip', () => {
  let dir = '';
  let entries: Map<string, Buffer>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-zip-'));
    const out = join(dir, 'stack.zip');
    execFileSync(process.execPath, [join('scripts', 'stack-zip.mjs'), '--out', out], { cwd: join(__dirname, '..', '..') });
    entries = readZip(readFileSync(out));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds schema.yaml and the root at its top, and the module under modules/', () => {
    // Prepare
    const tf = (folder: string) => readdirSync(folder).filter((file) => file.endsWith('.tf'));
    // Act
    const names = [...entries.keys()].sort();
    // Assess
    expect(names).toEqual(
      ['schema.yaml', ...tf(EXAMPLE_DIR), ...tf(MODULE_DIR).map((file) => `modules/oke-nodepool-tagger/${file}`)].sort(),
    );
  });

  it('points the root at the module inside the zip, and keeps every other file as it is', () => {
    // Act
    const main = entries.get('main.tf')?.toString('utf8') ?? '';
    // Assess
    expect(main).toContain('source = "./modules/oke-nodepool-tagger"');
    expect(main.replace('./modules/', '../../modules/')).toBe(readFileSync(join(EXAMPLE_DIR, 'main.tf'), 'utf8'));
    expect(entries.get('schema.yaml')?.equals(readFileSync(join(TERRAFORM_DIR, 'schema.yaml')))).toBe(true);
    for (const file of readdirSync(MODULE_DIR))
      expect(entries.get(`modules/oke-nodepool-tagger/${file}`)?.equals(readFileSync(join(MODULE_DIR, file)))).toBe(true);
  });
  it('adds the node-pools.auto.tfvars given with --with at its top, byte for byte, and refuses a file Terraform would not load', () => {
    // Prepare
    const tfvars = join(dir, 'node-pools.auto.tfvars');
    writeFileSync(tfvars, 'node_pool_groups = {}\n');
    const notLoaded = join(dir, 'node-pools.tfvars');
    writeFileSync(notLoaded, 'node_pool_groups = {}\n');
    const run = (...args: string[]) =>
      execFileSync(process.execPath, [join('scripts', 'stack-zip.mjs'), ...args], { cwd: join(__dirname, '..', '..'), stdio: 'pipe' });
    // Act
    run('--out', join(dir, 'with.zip'), '--with', tfvars);
    const withVariables = readZip(readFileSync(join(dir, 'with.zip')));
    const refused = () => run('--out', join(dir, 'refused.zip'), '--with', notLoaded);
    // Assess
    expect(withVariables.get('node-pools.auto.tfvars')?.equals(readFileSync(tfvars))).toBe(true);
    expect([...withVariables.keys()].sort()).toEqual([...entries.keys(), 'node-pools.auto.tfvars'].sort());
    expect(refused).toThrow(/only terraform\.tfvars or a \*\.auto\.tfvars file is loaded by Terraform/);
  });
});
