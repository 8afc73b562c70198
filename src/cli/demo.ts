/**
 * `demo` (what `npm start` runs): replays the recorded launches in
 * examples/events against the example world on the embedded fake OCI API,
 * then shows each instance's pool tag before and after.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadWorldFile, type World } from '../local/world';
import { readTag } from '../tagging/tags';
import { EXIT, painter, parseCommandArgs, stringValue, table, type Io, printHelp } from './common';
import { collectEventFiles, describeEntry, replayFiles, summarise } from './replay';
import { openTarget } from './target';

export const DEMO_HELP = `Usage: oke-nodepool-tagger demo [--examples DIR]

Replays the recorded launch events in DIR/events against DIR/world.json on the
embedded fake OCI API (no cloud account needed) and prints a before/after
table of every instance's pool tag. DIR defaults to the examples/ folder that
ships with the project.

Example:
  npm start`;

// dist/../examples is the checkout's examples/, and also the installed package's (package.json `files` ships
// them beside dist/); src/cli/../../examples is the same folder when the sources run unbundled.
function defaultExamplesDir(cwd: string): string {
  const candidates = [resolve(__dirname, '..', 'examples'), resolve(__dirname, '..', '..', 'examples'), resolve(cwd, 'examples')];
  return candidates.find((dir) => existsSync(join(dir, 'world.json'))) ?? resolve(cwd, 'examples');
}

function poolTags(world: World, namespace: string, key: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const instance of world.instances) {
    const value = readTag(instance.definedTags, namespace, key);
    tags.set(instance.id, typeof value === 'string' ? value : '-');
  }
  return tags;
}

/** Runs the demo. Returns the exit code. */
export async function runDemo(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('demo', args, { examples: { type: 'string' } }, false);
  if (values.help) return printHelp(io, DEMO_HELP);
  const dir = stringValue(values, 'examples') ?? defaultExamplesDir(io.cwd);
  const worldFile = join(dir, 'world.json');
  const before = await loadWorldFile(worldFile);
  const files = await collectEventFiles([join(dir, 'events')]);
  const paint = painter(io);

  // A short membership wait keeps the impostor's refusal quick; the function waits 5 s by default.
  const target = await openTarget({ world: worldFile }, io, { dry_run: 'false', membership_wait_seconds: '1' });
  const { tagNamespace, tagName } = target.config;
  io.out(`${paint('bold', 'oke-nodepool-tagger demo')}: ${files.length} recorded events against ${worldFile}\n`);
  io.out(`(embedded fake OCI API, real SDK clients with request signing; no cloud account needed)\n\n`);
  try {
    const entries = await replayFiles(files, target, io, false, (entry) => io.out(`${describeEntry(entry, paint)}\n`));
    io.out(`\n${summarise(entries)}\n\n`);

    const after = target.embedded?.api.world ?? before;
    const was = poolTags(before, tagNamespace, tagName);
    const now = poolTags(after, tagNamespace, tagName);
    const why = new Map<string, string>();
    for (const entry of entries) {
      const result = entry.result;
      if (result?.instanceId) why.set(result.instanceId, `${result.outcome} (${basename(entry.file)})`);
    }
    io.out(`The pool tag ${tagNamespace}.${tagName} of each instance:\n`);
    const rows = [['instance', 'before', 'after', 'last outcome']];
    for (const instance of after.instances) {
      const old = was.get(instance.id) ?? '-';
      const value = now.get(instance.id) ?? '-';
      rows.push([instance.displayName, old, old === value ? value : paint('green', value), why.get(instance.id) ?? 'no event']);
    }
    io.out(`${table(rows)}\n\n`);
    io.out(
      'Only nodes that the Container Engine API lists in a node pool get the tag. The bastion has no OKE metadata,\n' +
        'and the impostor claims a pool in its metadata that does not list it, so neither is tagged. The repeated event\n' +
        'changes nothing, and the truncated file is refused without any API call. Other tags are never touched.\n',
    );
  } finally {
    await target.close();
  }
  return EXIT.ok;
}
