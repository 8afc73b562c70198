import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  evaluateMatchingRule,
  matchRuleText,
  MAX_GROUP_DEPTH,
  parseMatchingRule,
  renderMatchingRule,
  type RuleGroup,
  type RuleSubject,
  type RuleValue,
} from '../../src/iam/matching-rule';

interface RuleCase {
  readonly name: string;
  readonly rule: string;
  readonly subject: string;
  readonly expected: RuleValue;
}

interface MalformedCase {
  readonly name: string;
  readonly rule: string;
  readonly column: number;
  readonly expected: string;
}

interface RuleCorpus {
  readonly subjects: Readonly<Record<string, RuleSubject>>;
  readonly cases: readonly RuleCase[];
  readonly malformed: readonly MalformedCase[];
}

const corpus = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'fixtures', 'matching-rules.json'), 'utf8')) as RuleCorpus;

function subjectNamed(name: string): RuleSubject {
  const subject = corpus.subjects[name];
  if (subject === undefined) throw new Error(`the corpus names no subject ${JSON.stringify(name)}`);
  return subject;
}

function parsed(text: string): RuleGroup {
  const result = parseMatchingRule(text);
  if (!result.ok) throw new Error(`${JSON.stringify(text)} does not parse: ${result.error.message}`);
  return result.rule;
}

const NODE: RuleSubject = {
  kind: 'instance',
  id: 'ocid1.instance.oc1.eu-frankfurt-1.anthelj7nodea1',
  compartmentId: 'ocid1.compartment.oc1..aaaaaaaaworkersx7q',
  definedTags: { 'oke-tagger': { 'node-pool': 'pool-a' } },
};

describe('the matching-rule corpus', () => {
  it.each(corpus.cases)('$name', ({ rule, subject, expected }) => {
    // Prepare
    const principal = subjectNamed(subject);
    // Act
    const result = matchRuleText(rule, principal);
    // Assess
    expect(result).toEqual({ ok: true, value: expected });
  });

  it.each(corpus.malformed)('refuses $name, naming the column and what it expected', ({ rule, column, expected }) => {
    // Prepare: a malformed rule. Act
    const result = parseMatchingRule(rule);
    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ column, expected, offset: column - 1, line: 1 });
    expect(result.error.message).toBe(`expected ${expected} at column ${column}, found ${result.error.found}`);
  });

  it('reports a malformed rule from matchRuleText instead of a value', () => {
    // Prepare
    const rule = "All {instance.id = 'ocid1.instance.oc1..x'";
    // Act
    const result = matchRuleText(rule, NODE);
    // Assess
    expect(result).toMatchObject({ ok: false, error: { column: 43, expected: '"," or "}"', found: 'end of rule' } });
  });

  it('covers all three values, instances and resources', () => {
    // Prepare / Act
    const values = new Set(corpus.cases.map((entry) => entry.expected));
    const kinds = new Set(corpus.cases.map((entry) => subjectNamed(entry.subject).kind));
    // Assess
    expect([...values].sort()).toEqual([false, true, 'unknown'].sort());
    expect([...kinds].sort()).toEqual(['instance', 'resource']);
  });
});

describe('parseMatchingRule', () => {
  it('builds the tree of a nested rule with mixed-case keywords', () => {
    // Prepare
    const rule =
      "ANY {all {tag.oke-tagger.node-pool.value = 'pool-a', tag.oke-tagger.cluster.value}, " +
      "instance.id != 'ocid1.instance.oc1..x', request.principal.type = 'instance'}";
    // Act
    const result = parseMatchingRule(rule);
    // Assess
    expect(result).toEqual({
      ok: true,
      rule: {
        kind: 'group',
        quantifier: 'any',
        clauses: [
          {
            kind: 'group',
            quantifier: 'all',
            clauses: [
              { kind: 'tag', namespace: 'oke-tagger', key: 'node-pool', comparison: { operator: '=', value: 'pool-a' } },
              { kind: 'tag', namespace: 'oke-tagger', key: 'cluster' },
            ],
          },
          { kind: 'variable', variable: 'instance.id', comparison: { operator: '!=', value: 'ocid1.instance.oc1..x' } },
          { kind: 'unknown', variable: 'request.principal.type', comparison: { operator: '=', value: 'instance' } },
        ],
      },
    });
  });

  it('keeps spaces, braces and commas inside a quoted value', () => {
    // Prepare / Act
    const rule = parsed("All {tag.ops.note.value = 'a, {b} = c'}");
    // Assess
    expect(rule.clauses).toEqual([{ kind: 'tag', namespace: 'ops', key: 'note', comparison: { operator: '=', value: 'a, {b} = c' } }]);
  });

  it('accepts groups nested as deep as MAX_GROUP_DEPTH', () => {
    // Prepare
    const rule = `${'Any {'.repeat(MAX_GROUP_DEPTH)}instance.id = 'x'${'}'.repeat(MAX_GROUP_DEPTH)}`;
    // Act / Assess
    expect(parseMatchingRule(rule).ok).toBe(true);
  });

  it('refuses deeper nesting with an error instead of exhausting the stack', () => {
    // Prepare
    const rule = `${'Any {'.repeat(100_000)}instance.id = 'x'${'}'.repeat(100_000)}`;
    // Act
    const result = parseMatchingRule(rule);
    // Assess
    expect(result).toMatchObject({
      ok: false,
      error: { column: MAX_GROUP_DEPTH * 5 + 1, expected: `a clause (groups nest at most ${MAX_GROUP_DEPTH} deep)` },
    });
  });

  it('names the line and column of an error in a rule that spans several lines', () => {
    // Prepare: a Terraform heredoc keeps the line breaks.
    const rule = "All {\n  instance.id = 'ocid1.instance.oc1..x',\n  tag.ops.team.value = platform\n}";
    // Act
    const result = parseMatchingRule(rule);
    // Assess
    expect(result).toMatchObject({
      ok: false,
      error: { line: 3, column: 24, message: `expected "'" opening the value at line 3, column 24, found "p"` },
    });
  });
});

describe('renderMatchingRule', () => {
  it('writes the canonical form: capitalised keywords, one space around operators, ", " between clauses', () => {
    // Prepare
    const rule = parsed("  any{ instance.id='ocid1.instance.oc1..x' ,ALL{tag.Ops.Team.value,request.x!='y'}}  ");
    // Act
    const text = renderMatchingRule(rule);
    // Assess
    expect(text).toBe("Any {instance.id = 'ocid1.instance.oc1..x', All {tag.Ops.Team.value, request.x != 'y'}}");
  });

  it.each([...new Set(corpus.cases.map((entry) => entry.rule))])('renders %j so that it parses back to the same tree', (text) => {
    // Prepare
    const rule = parsed(text);
    // Act
    const again = parsed(renderMatchingRule(rule));
    // Assess
    expect(again).toEqual(rule);
  });
});

describe('evaluateMatchingRule', () => {
  it('evaluates a single clause as well as a whole rule', () => {
    // Prepare
    const rule = parsed("Any {instance.compartment.id = 'ocid1.compartment.oc1..aaaaaaaaworkersx7q'}");
    const clause = rule.clauses[0];
    if (clause === undefined) throw new Error('the rule has no clause');
    // Act / Assess
    expect(evaluateMatchingRule(clause, NODE)).toBe(true);
    expect(evaluateMatchingRule(rule, NODE)).toBe(true);
  });

  it('treats a non-string tag value as unknown', () => {
    // Prepare
    const subject: RuleSubject = { ...NODE, definedTags: { ops: { size: 42 } } };
    // Act
    const value = evaluateMatchingRule(parsed("All {tag.ops.size.value = '42'}"), subject);
    // Assess
    expect(value).toBe('unknown');
  });

  it('finds a tag namespace spelt in another case even when the exact spelling is absent', () => {
    // Prepare
    const subject: RuleSubject = { ...NODE, definedTags: { 'OKE-Tagger': { 'Node-Pool': 'pool-a' } } };
    // Act
    const value = evaluateMatchingRule(parsed("All {tag.oke-tagger.node-pool.value = 'pool-a'}"), subject);
    // Assess
    expect(value).toBe(true);
  });
});
