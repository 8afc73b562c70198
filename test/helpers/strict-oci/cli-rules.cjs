/**
 * What the OCI CLI refuses before it calls a service, as recorded in
 * test/fixtures/oci-cli-commands.json: unknown commands and options, missing
 * required options, values of the wrong type, JSON of the wrong shape,
 * options that must come together or must not, and confirmation prompts
 * without --force (with no terminal to answer them, click aborts).
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const FACTS = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'oci-cli-commands.json'), 'utf8'));
const BOOL_WORDS = new Map([
  ['true', true],
  ['1', true],
  ['yes', true],
  ['y', true],
  ['t', true],
  ['on', true],
  ['false', false],
  ['0', false],
  ['no', false],
  ['n', false],
  ['f', false],
  ['off', false],
]);

/** A refusal: the message the CLI prints on stderr and its exit code (2 for click usage errors). */
class CliRefusal extends Error {
  constructor(message, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

function usage(message) {
  return new CliRefusal(`Usage: oci [OPTIONS] COMMAND [ARGS]...\n\nError: ${message}`, 2);
}

/** Checks `value` against a shape of `jsonShapes`; returns the first problem or undefined. */
function shapeProblem(value, shape, where) {
  if (shape.$ref !== undefined) return shapeProblem(value, FACTS.jsonShapes[shape.$ref], where);
  if (shape.enum !== undefined && !shape.enum.includes(value)) return `${where} must be one of ${shape.enum.join(', ')}`;
  if (shape.type === 'string' && typeof value !== 'string') return `${where} must be a string`;
  if (shape.type === 'boolean' && typeof value !== 'boolean') return `${where} must be a boolean`;
  if (shape.type === 'array') {
    if (!Array.isArray(value)) return `${where} must be a JSON array`;
    if (shape.minItems !== undefined && value.length < shape.minItems) return `${where} needs at least ${shape.minItems} item(s)`;
    for (const [index, item] of value.entries()) {
      const problem = shapeProblem(item, shape.items, `${where}[${index}]`);
      if (problem !== undefined) return problem;
    }
  }
  if (shape.type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${where} must be a JSON object`;
    for (const key of shape.required ?? []) if (!(key in value)) return `${where} is missing ${key}`;
    for (const [key, item] of Object.entries(value)) {
      const inner = shape.properties?.[key] ?? shape.values;
      if (inner === undefined && shape.additionalProperties === false) return `${where} has an unknown key ${key}`;
      const problem = inner === undefined ? undefined : shapeProblem(item, inner, `${where}.${key}`);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function convert(flag, spec, raw) {
  if (spec.type === 'string') return raw;
  if (spec.type === 'int') {
    if (!/^-?\d+$/.test(raw)) throw usage(`Invalid value for '${flag}': '${raw}' is not a valid integer.`);
    return Number(raw);
  }
  if (spec.type === 'bool') {
    const value = BOOL_WORDS.get(raw.toLowerCase());
    if (value === undefined) throw usage(`Invalid value for '${flag}': '${raw}' is not a valid boolean.`);
    return value;
  }
  if (spec.type === 'choice') {
    const choice = spec.choices.find((item) => item.toLowerCase() === raw.toLowerCase());
    if (choice === undefined) throw usage(`Invalid value for '${flag}': '${raw}' is not one of ${spec.choices.join(', ')}.`);
    return choice;
  }
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new CliRefusal(`Parameter '${flag.slice(2).replace(/-/g, '_')}' must be in JSON format.`, 1);
  }
  const problem = shapeProblem(value, FACTS.jsonShapes[spec.shape], flag);
  if (problem !== undefined) throw new CliRefusal(`Parameter '${flag}' is not a valid ${spec.shape}: ${problem}.`, 1);
  return value;
}

function findCommand(argv) {
  for (let length = Math.min(argv.length, 3); length > 0; length -= 1) {
    const name = argv.slice(0, length).join(' ');
    if (FACTS.commands[name] !== undefined) return { name, spec: FACTS.commands[name], rest: argv.slice(length) };
  }
  const words = argv.filter((word) => !word.startsWith('-')).slice(0, 3);
  throw usage(`No such command '${words.join(' ')}' among the commands the strict stand-in knows.`);
}

function readOptions(command, rest) {
  const options = new Map();
  for (let index = 0; index < rest.length; index += 1) {
    const word = rest[index];
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const spec = command.spec.options[flag] ?? FACTS.globalOptions.options[flag];
    if (!word.startsWith('-') || spec === undefined) throw usage(`No such option: ${flag}`);
    let value = true;
    if (spec.type !== 'flag') {
      const raw = eq > 0 ? word.slice(eq + 1) : rest[(index += 1)];
      if (raw === undefined) throw usage(`Option '${flag}' requires an argument.`);
      value = convert(flag, spec, raw);
    } else if (eq > 0) throw usage(`Option '${flag}' does not take a value.`);
    if (spec.multiple) options.set(flag, [...(options.get(flag) ?? []), value]);
    else options.set(flag, value);
  }
  return options;
}

function checkRules(command, options) {
  for (const [flag, spec] of Object.entries(command.spec.options)) {
    if (spec.required && !options.has(flag)) throw usage(`Missing option(s) ${flag}.`);
    if (spec.nonEmpty && options.has(flag) && String(options.get(flag)).trim() === '')
      throw usage(`Parameter ${flag} cannot be whitespace or empty string`);
  }
  for (const pair of command.spec.exclusive ?? [])
    if (pair.every((flag) => options.has(flag)))
      throw usage(`If you provide the ${pair[0]} option you cannot provide the ${pair[1]} option`);
  for (const rule of command.spec.requiresTogether ?? [])
    if (rule.options.some((flag) => options.has(flag)) && !rule.options.every((flag) => options.has(flag)))
      throw new CliRefusal(rule.message, rule.exitCode);
  const prompt = command.spec.prompt;
  if (prompt !== undefined && !options.has(prompt.unless) && prompt.whenAnyOf.some((flag) => options.has(flag)))
    throw new CliRefusal(
      `WARNING: Updates to ${prompt.whenAnyOf.join(' and ')} will replace any existing values. Are you sure you want to continue? [y/N]: \nAborted!`,
      1,
    );
  const service = command.name.split(' ')[0];
  if (FACTS.servicesRequiringEndpoint.services.includes(service) && !options.has('--endpoint'))
    throw usage(`The ${service} commands need --endpoint (the identity domain's URL).`);
}

/** Parses and checks one invocation; throws a {@link CliRefusal} where the CLI would refuse it. */
function parseInvocation(argv) {
  const command = findCommand(argv);
  const options = readOptions(command, command.rest);
  checkRules(command, options);
  return { name: command.name, options };
}

module.exports = { parseInvocation, CliRefusal, FACTS };
