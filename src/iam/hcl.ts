/**
 * A small HCL writer that lays out blocks as `terraform fmt` does: two spaces
 * per level, and the `=` of consecutive one-line attributes aligned one space
 * after the longest name. A multi-line value, a nested block, a comment or a
 * blank line ends a run of aligned attributes.
 */

/** One item of a body. Values are HCL expressions already written out (see {@link hclString} for strings). */
export type HclItem =
  | { readonly kind: 'attribute'; readonly name: string; readonly value: string }
  | { readonly kind: 'list'; readonly name: string; readonly items: readonly string[] }
  | { readonly kind: 'object'; readonly name: string; readonly body: readonly HclItem[] }
  | { readonly kind: 'block'; readonly type: string; readonly labels: readonly string[]; readonly body: readonly HclItem[] }
  | { readonly kind: 'comment'; readonly lines: readonly string[] }
  | { readonly kind: 'blank' };

/** `name = value` on one line. */
export function attribute(name: string, value: string): HclItem {
  return { kind: 'attribute', name, value };
}

/** `name = [` one item per line `]`, each followed by a comma. */
export function list(name: string, items: readonly string[]): HclItem {
  return { kind: 'list', name, items };
}

/** `name = {` attributes `}`. */
export function object(name: string, body: readonly HclItem[]): HclItem {
  return { kind: 'object', name, body };
}

/** `type "label" … {` body `}`. */
export function block(type: string, labels: readonly string[], body: readonly HclItem[]): HclItem {
  return { kind: 'block', type, labels, body };
}

/** `# line` for each line (`#` alone for an empty one). */
export function comment(lines: readonly string[]): HclItem {
  return { kind: 'comment', lines };
}

export const BLANK: HclItem = { kind: 'blank' };

function renderItems(items: readonly HclItem[], depth: number): string[] {
  const indent = '  '.repeat(depth);
  const out: string[] = [];
  for (const [index, item] of items.entries()) {
    switch (item.kind) {
      case 'attribute': {
        let end = index;
        let start = index;
        while (items[end + 1]?.kind === 'attribute') end += 1;
        while (items[start - 1]?.kind === 'attribute') start -= 1;
        const width = Math.max(...items.slice(start, end + 1).map((other) => (other.kind === 'attribute' ? other.name.length : 0)));
        out.push(`${indent}${item.name.padEnd(width)} = ${item.value}`);
        break;
      }
      case 'list':
        out.push(`${indent}${item.name} = [`, ...item.items.map((value) => `${indent}  ${value},`), `${indent}]`);
        break;
      case 'object':
        out.push(`${indent}${item.name} = {`, ...renderItems(item.body, depth + 1), `${indent}}`);
        break;
      case 'block':
        out.push(
          `${indent}${[item.type, ...item.labels.map((label) => `"${label}"`)].join(' ')} {`,
          ...renderItems(item.body, depth + 1),
          `${indent}}`,
        );
        break;
      case 'comment':
        out.push(...item.lines.map((line) => (line === '' ? `${indent}#` : `${indent}# ${line}`)));
        break;
      case 'blank':
        out.push('');
    }
  }
  return out;
}

/** The lines of `items` at the top level. */
export function renderHcl(items: readonly HclItem[]): string[] {
  return renderItems(items, 0);
}
