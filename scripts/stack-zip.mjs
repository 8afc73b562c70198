// Builds the Resource Manager stack zip ("Deploy to Oracle Cloud"): the root
// of deploy/terraform/examples/complete and schema.yaml at the top of the
// zip, the module under modules/oke-nodepool-tagger/, and the root's module
// source rewritten to that path. Offline and reproducible: STORE entries
// (no compression), a fixed timestamp, files in a fixed order. Only the
// root's .tf files are taken; --with adds a variables file Terraform loads by
// itself (terraform.tfvars or *.auto.tfvars, e.g. the node-pools.auto.tfvars
// that iam --format tfvars prints) at the top of the zip.
//
//   node scripts/stack-zip.mjs [--out dist-stack/oke-nodepool-tagger-stack.zip] [--with node-pools.auto.tfvars]…
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const TERRAFORM = 'deploy/terraform';
const MODULE = 'modules/oke-nodepool-tagger';
const ROOT = 'examples/complete';
const REPO_SOURCE = 'source = "../../modules/oke-nodepool-tagger"';
const ZIP_SOURCE = 'source = "./modules/oke-nodepool-tagger"';

/** The stack's files: [name in the zip, content], the `extra` variables files last. */
function stackFiles(extra) {
  const tf = (dir) =>
    readdirSync(join(TERRAFORM, dir))
      .filter((file) => file.endsWith('.tf'))
      .sort();
  const files = [['schema.yaml', readFileSync(join(TERRAFORM, 'schema.yaml'))]];
  for (const file of tf(ROOT)) {
    let text = readFileSync(join(TERRAFORM, ROOT, file), 'utf8');
    if (file === 'main.tf') {
      if (text.split(REPO_SOURCE).length !== 2) throw new Error(`${ROOT}/main.tf must hold exactly one ${REPO_SOURCE}`);
      text = text.replace(REPO_SOURCE, ZIP_SOURCE);
    }
    files.push([file, Buffer.from(text, 'utf8')]);
  }
  for (const file of tf(MODULE)) files.push([`${MODULE}/${file}`, readFileSync(join(TERRAFORM, MODULE, file))]);
  for (const path of extra) {
    const name = basename(path);
    // Any other name would sit in the zip unread: Terraform loads only these by itself.
    if (name !== 'terraform.tfvars' && !name.endsWith('.auto.tfvars'))
      throw new Error(`--with ${path}: only terraform.tfvars or a *.auto.tfvars file is loaded by Terraform`);
    if (files.some(([entry]) => entry === name)) throw new Error(`--with ${path}: the stack already holds ${name}`);
    files.push([name, readFileSync(path)]);
  }
  return files;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// 1980-01-01 00:00, the first date a zip can hold: the same bytes on every build.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip of STORE entries (APPNOTE 4.3): local headers and data, the central directory, its end record. */
function zip(files) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(0, 8); // STORE
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt16LE(DOS_TIME, 12);
    header.writeUInt16LE(DOS_DATE, 14);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBytes.length, 28);
    header.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    header.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(header, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'dist-stack/oke-nodepool-tagger-stack.zip' },
    with: { type: 'string', multiple: true, default: [] },
  },
});
let files;
try {
  files = stackFiles(values.with);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, zip(files));
console.log(`${values.out}: ${files.length} files`);
