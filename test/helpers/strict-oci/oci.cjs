/**
 * A strict stand-in for the `oci` command, for running generated scripts in
 * tests. It refuses what the real CLI refuses (see cli-rules.cjs), answers
 * from a state file (see services.cjs) the way the CLI prints (`{"data": …}`,
 * `--query`, `--raw-output`), and appends each call to a log.
 *
 * Environment: STRICT_OCI_STATE (the state file, created when missing),
 * STRICT_OCI_LOG (one JSON line per call: argv and exit code).
 */
const { appendFileSync, existsSync, readFileSync, writeFileSync } = require('node:fs');
const { CliRefusal, parseInvocation } = require('./cli-rules.cjs');
const { evaluate, QueryError } = require('./query.cjs');
const { HANDLERS, ServiceError, emptyState } = require('./services.cjs');

function output(options, data) {
  const document = data === undefined ? {} : { data };
  const result = options.has('--query') ? evaluate(options.get('--query'), document) : document;
  if (
    result === null ||
    (Array.isArray(result) && result.length === 0) ||
    (!options.has('--query') && Array.isArray(data) && data.length === 0)
  ) {
    if (options.has('--query')) process.stderr.write('Query returned empty result, no output to show.\n');
    return;
  }
  if (options.has('--raw-output') && typeof result === 'string') process.stdout.write(`${result}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

function run(argv) {
  const statePath = process.env.STRICT_OCI_STATE;
  if (!statePath) throw new Error('STRICT_OCI_STATE is not set');
  const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : emptyState();
  try {
    const { name, options } = parseInvocation(argv);
    const data = HANDLERS[name](state, options);
    writeFileSync(statePath, JSON.stringify(state, null, 2));
    if (options.has('--wait-for-state'))
      process.stderr.write(
        `Action completed. Waiting until the resource has entered state: ${options.get('--wait-for-state').join(', ')}\n`,
      );
    output(options, data);
    return 0;
  } catch (error) {
    if (error instanceof CliRefusal) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ServiceError) {
      process.stderr.write(
        `ServiceError:\n${JSON.stringify({ status: error.status, code: error.code, message: error.message }, null, 4)}\n`,
      );
      return 1;
    }
    if (error instanceof QueryError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

const argv = process.argv.slice(2);
const code = run(argv);
if (process.env.STRICT_OCI_LOG) appendFileSync(process.env.STRICT_OCI_LOG, `${JSON.stringify({ argv, code })}\n`);
process.exit(code);
