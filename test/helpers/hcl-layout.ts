/**
 * The layout `terraform fmt` writes, checked without the binary: two spaces
 * per level of `{`, `[` or `(` left open at a line's end, no trailing
 * whitespace or tabs, and the `=` of consecutive one-line attributes aligned
 * one space after the longest name. Used on the generated Terraform and on
 * the module in deploy/terraform; `.ci/run` also runs `terraform fmt -check`
 * on both when a terraform binary is on PATH.
 */

const ATTRIBUTE = /^\s*([A-Za-z_][A-Za-z0-9_]*)( +)= (.*)$/;

/** Where `text` departs from terraform fmt's layout: indents of two spaces per level, `=` aligned in runs of one-line attributes. */
export function layoutProblems(text: string): string[] {
  const problems: string[] = [];
  let depth = 0;
  let run: { column: number; widest: number; lines: number[] } | undefined;
  const lines = text.split('\n');
  const closeRun = () => {
    if (run !== undefined && run.lines.some((index) => (lines[index] as string).indexOf(' =') !== run!.column))
      problems.push(`line ${(run.lines[0] as number) + 1}: "=" not aligned in its run of attributes`);
    if (run !== undefined && run.column !== run.widest)
      problems.push(`line ${(run.lines[0] as number) + 1}: "=" not one space after the longest name`);
    run = undefined;
  };
  for (const [index, line] of lines.entries()) {
    if (/\s$/.test(line) || line.includes('\t')) problems.push(`line ${index + 1}: trailing whitespace or a tab`);
    const trimmed = line.trim();
    if (/^[\])}]/.test(trimmed)) depth -= 1;
    if (trimmed !== '' && !line.startsWith('#') && line.length - line.trimStart().length !== depth * 2)
      problems.push(`line ${index + 1}: indented ${line.length - line.trimStart().length} spaces, not ${depth * 2}`);
    const attribute = ATTRIBUTE.exec(line);
    if (attribute && !/[[{(]$/.test(line)) {
      const nameEnd = line.indexOf(attribute[1] as string) + (attribute[1] as string).length;
      run ??= { column: line.indexOf(' ='), widest: 0, lines: [] };
      run.widest = Math.max(run.widest, nameEnd);
      run.lines.push(index);
    } else {
      closeRun();
      if (attribute && (attribute[2] as string).length !== 1)
        problems.push(`line ${index + 1}: a multi-line attribute has more than one space before "="`);
    }
    if (/[[{(]$/.test(trimmed) && !trimmed.startsWith('#')) depth += 1;
  }
  closeRun();
  return problems;
}
