/**
 * What `explain` prints: the result in four numbered sections (the
 * instance, our tags, the dynamic groups, the policy statements), then what
 * could not be seen. Plain text, colour only on a terminal without NO_COLOR.
 */
import type { ExplainedDynamicGroup, ExplainedStatement, ExplainResult, Tri } from '../iam/explain';
import { qualifiedGroupName } from '../iam/explain-access';
import { painter, table, type Io } from './common';

type Paint = ReturnType<typeof painter>;

const INDENT = '  ';

function indent(text: string, depth = 1): string {
  const pad = INDENT.repeat(depth);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${pad}${line}`))
    .join('\n');
}

function tri(paint: Paint, value: Tri): string {
  if (value === 'unknown') return paint('magenta', 'unknown');
  return value ? paint('green', 'yes') : paint('grey', 'no');
}

function withId(name: string | undefined, id: string): string {
  return name === undefined || name === '' || name === id ? id : `${name} (${id})`;
}

function instanceSection(result: ExplainResult, paint: Paint): string {
  const rows: string[][] = [];
  const { instance } = result;
  if (instance === 'unknown') rows.push(['instance', paint('magenta', 'unknown: it could not be read')]);
  else {
    rows.push(['name', instance.displayName ?? '-']);
    rows.push(['id', instance.id]);
    rows.push(['compartment', withId(instance.compartmentPath, instance.compartmentId)]);
    rows.push(['state', instance.lifecycleState ?? '-']);
    const hints = instance.okeHints;
    const hinted = [
      ...(hints.nodePoolId === undefined ? [] : [`oke-pool-id ${hints.nodePoolId}`]),
      ...(hints.clusterId === undefined ? [] : [`oke-cluster-id ${hints.clusterId}`]),
    ];
    rows.push([
      'OKE hints',
      hinted.length > 0 ? hinted.join(', ') : hints.hasOkeMetadata ? 'oke-* metadata, no valid pool or cluster OCID' : 'none',
    ]);
  }
  const { nodePool, cluster } = result;
  if (nodePool === 'unknown') rows.push(['node pool', paint('magenta', 'unknown')]);
  else if (nodePool === null) rows.push(['node pool', 'none']);
  else {
    const where = nodePool.compartmentPath === undefined ? '' : ` in ${nodePool.compartmentPath}`;
    rows.push(['node pool', `${withId(nodePool.name, nodePool.id)}${where}`]);
  }
  if (cluster === 'unknown') rows.push(['cluster', paint('magenta', 'unknown')]);
  else if (cluster === null) rows.push(['cluster', 'none']);
  else
    rows.push([
      'cluster',
      `${withId(cluster.name, cluster.id)}${cluster.compartmentPath === undefined ? '' : ` in ${cluster.compartmentPath}`}`,
    ]);
  rows.push(['member', `${tri(paint, result.member)}: ${result.memberReason}`]);
  return table(rows);
}

function tagValue(tags: Readonly<Record<string, unknown>> | 'unknown', key: string): string {
  if (tags === 'unknown') return 'unknown';
  const value = Object.entries(tags).find(([candidate]) => candidate.toLowerCase() === key.toLowerCase())?.[1];
  return value === undefined ? '(none)' : String(value);
}

function tagsSection(result: ExplainResult, paint: Paint): string {
  const keys = new Set<string>([
    ...(result.expectedTags === 'unknown' ? [] : Object.keys(result.expectedTags)),
    ...(result.actualTags === 'unknown' ? [] : Object.keys(result.actualTags)),
  ]);
  const rows = [...keys].map((key) => {
    const expected = tagValue(result.expectedTags, key);
    const actual = tagValue(result.actualTags, key);
    return [`${result.tagNamespace}.${key}`, expected, expected === actual ? actual : paint('yellow', actual)];
  });
  const lines =
    rows.length > 0 ? table([['key', 'expected', 'actual'], ...rows]) : `none of our keys in ${result.tagNamespace}, and none expected`;
  const unknown = result.expectedTags === 'unknown' ? '\nexpected: unknown (membership could not be decided)' : '';
  const colour = result.action === 'unknown' ? 'magenta' : result.action === 'none' ? 'green' : 'yellow';
  return `${lines}${unknown}\nthe function would: ${paint(colour, result.action)} (${result.actionReason})`;
}

function groupBlock(group: ExplainedDynamicGroup, paint: Paint): string {
  const state = group.lifecycleState === undefined || group.lifecycleState === 'ACTIVE' ? '' : ` [${group.lifecycleState}]`;
  const domain = qualifiedGroupName(group) === group.name ? ' (Default domain)' : '';
  const matches = `now: ${tri(paint, group.matchesNow)}  when its tags are right: ${tri(paint, group.matchesWhenCorrect)}`;
  const head = `${paint('bold', qualifiedGroupName(group))}${domain}${state}  ${matches}`;
  const lines = [head, `${INDENT}id    ${group.id}`, `${INDENT}rule  ${group.matchingRule ?? '(none returned)'}`];
  if (group.ruleError !== undefined) {
    lines.push(`${INDENT}      ${' '.repeat(Math.max(0, group.ruleError.column - 1))}^ ${group.ruleError.message}`);
  } else if (group.unknownReason !== undefined) lines.push(`${INDENT}${paint('magenta', `unknown: ${group.unknownReason}`)}`);
  if (group.matchesNow === true && group.matchesWhenCorrect === false)
    lines.push(`${INDENT}${paint('red', 'matches now only because of tags it should not carry')}`);
  return lines.join('\n');
}

function groupsSection(result: ExplainResult, paint: Paint): string {
  if (result.dynamicGroups.length === 0) return 'no dynamic group matches it now or would once its tags are right';
  return result.dynamicGroups.map((group) => groupBlock(group, paint)).join('\n');
}

function statementLine(statement: ExplainedStatement, paint: Paint): string {
  const where = `${INDENT}policy ${statement.policyName} in ${statement.compartmentPath}`;
  const note = statement.note === undefined ? '' : `\n${INDENT}${paint('magenta', statement.note)}`;
  return `${statement.statement}\n${where}${note}`;
}

/** The statements listed without one of the node's groups, each kind under its heading. */
const UNGROUPED: readonly (readonly [ExplainedStatement['basis'], string])[] = [
  ['any-principal', 'any-user and any-group'],
  ['domain-not-read', 'groups that were not read'],
  ['not-parsed', 'statements that do not parse'],
];

function statementsSection(result: ExplainResult, paint: Paint): string {
  const blocks: string[] = [];
  const block = (heading: string, statements: readonly ExplainedStatement[]) =>
    `${paint('bold', heading)}\n${indent(statements.map((statement) => statementLine(statement, paint)).join('\n'))}`;
  const matched = new Set(result.dynamicGroups.map((group) => group.id));
  for (const group of result.dynamicGroups) {
    const named = result.statements.filter((statement) => statement.dynamicGroupId === group.id);
    blocks.push(
      named.length === 0
        ? `${paint('bold', qualifiedGroupName(group))}\n${indent('no statement names it')}`
        : block(qualifiedGroupName(group), named),
    );
  }
  for (const [basis, heading] of UNGROUPED) {
    const listed = result.statements.filter(
      (statement) => statement.basis === basis && (statement.dynamicGroupId === null || !matched.has(statement.dynamicGroupId)),
    );
    if (listed.length > 0) blocks.push(block(heading, listed));
  }
  return blocks.length === 0 ? 'no statement concerns it' : blocks.join('\n');
}

function notSeenSection(result: ExplainResult, paint: Paint): string | undefined {
  const lines = [
    ...result.unread.map((part) => paint('magenta', `${part.operation} ${part.resourceId}: ${part.reason}`)),
    ...result.notSeen,
  ];
  return lines.length === 0 ? undefined : `Could not be seen:\n${indent(lines.map((line) => `- ${line}`).join('\n'))}`;
}

/** The text report of one `explain` result. */
export function renderExplain(result: ExplainResult, io: Io, apiCalls: number): string {
  const paint = painter(io);
  const sections = [
    `1. The instance\n${indent(instanceSection(result, paint))}`,
    `2. Our tags\n${indent(tagsSection(result, paint))}`,
    `3. The dynamic groups\n${indent(groupsSection(result, paint))}`,
    `4. The policy statements\n${indent(statementsSection(result, paint))}`,
  ];
  const notSeen = notSeenSection(result, paint);
  if (notSeen !== undefined) sections.push(notSeen);
  const verdict = result.complete
    ? paint('green', 'complete: everything was read and decided')
    : paint('magenta', 'not complete: some answers are unknown');
  sections.push(`${verdict} (${apiCalls} API calls)`);
  return `${sections.join('\n\n')}\n`;
}
