/**
 * The part of JMESPath the generated scripts use in `--query`: field access
 * (`data.id`, `data."lifecycle-state"`), indexes (`[0]`), filters with `==`
 * or `!=` against a raw string literal (`[?name=='x']`), projections after a
 * filter, and pipes (`| [0]`). Anything else is refused, so a script cannot
 * come to depend on a query this stand-in evaluates differently from the CLI.
 */
const TOKEN =
  /^\s*(?:\.?(?:([A-Za-z_][A-Za-z0-9_]*)|"([^"]+)")|\[(\d+)\]|\[\?\s*(?:([A-Za-z_][A-Za-z0-9_]*)|"([^"]+)")\s*(==|!=)\s*'([^']*)'\s*\])/;

class QueryError extends Error {}

function parseSegment(text) {
  const steps = [];
  let rest = text.trim();
  while (rest.length > 0) {
    const match = TOKEN.exec(rest);
    if (!match) throw new QueryError(`the strict stand-in cannot evaluate this JMESPath: ${JSON.stringify(text)}`);
    if (match[1] !== undefined || match[2] !== undefined) steps.push({ kind: 'field', name: match[1] ?? match[2] });
    else if (match[3] !== undefined) steps.push({ kind: 'index', index: Number(match[3]) });
    else steps.push({ kind: 'filter', field: match[4] ?? match[5], op: match[6], literal: match[7] });
    rest = rest.slice(match[0].length).trimStart();
  }
  return steps;
}

function applyStep(value, step) {
  if (value === null || value === undefined) return null;
  if (step.kind === 'field') return typeof value === 'object' && !Array.isArray(value) ? (value[step.name] ?? null) : null;
  if (step.kind === 'index') return Array.isArray(value) ? (value[step.index] ?? null) : null;
  if (!Array.isArray(value)) return null;
  return value.filter((item) => (item !== null && typeof item === 'object' && item[step.field] === step.literal) === (step.op === '=='));
}

/** Evaluates `expression` over `document`; null stands for an empty result. */
function evaluate(expression, document) {
  let value = document;
  for (const segment of expression.split('|')) {
    let projecting = false;
    for (const step of parseSegment(segment)) {
      if (projecting && step.kind !== 'field')
        throw new QueryError(`the strict stand-in cannot evaluate an index or filter inside a projection: ${JSON.stringify(expression)}`);
      if (projecting) value = value.map((item) => applyStep(item, step)).filter((item) => item !== null);
      else {
        value = applyStep(value, step);
        if (step.kind === 'filter') projecting = true;
      }
    }
  }
  return value;
}

module.exports = { evaluate, QueryError };
