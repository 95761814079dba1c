import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type Command, type FlagValue, type FlagValues, type OptionDef, optionFlags } from './command.js';
import { UsageError, unknownOption } from './usage-error.js';

/** What a command's arguments ask for: its help, or a run with the argument and the options. */
export type CommandArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly argument: string; readonly rest: readonly string[]; readonly flags: FlagValues };

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

/** An option as `parseArgs` read it: `name` is the long form of a known short one (`-p` → `port`). */
interface OptionToken {
  readonly name: string;
  readonly rawName: string;
  readonly value?: string;
}

/**
 * Parses what follows the command name. `util.parseArgs` splits the words (`--port=1`, `-p 1`,
 * `-vp1`, `--`); this checks them against the command's options, left to right like the user reads
 * them, and fills in defaults. `-h`/`--help` anywhere wins over every error.
 *
 * @throws UsageError for an unknown option, a missing, invalid or unexpected value, or too many arguments
 */
export function parseCommandArgs(command: Command, args: readonly string[]): CommandArgs {
  const { tokens } = parseArgs({
    args: [...args],
    options: parseArgsOptions(command),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return { kind: 'help' };
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option') {
      const option = findOption(command, token);
      const value = optionValue(option, token);
      const before = flags[option.key];
      flags[option.key] = option.repeatable === true ? [...(Array.isArray(before) ? before : []), String(value)] : value;
    }
  }
  for (const option of command.options) {
    if (flags[option.key] === undefined && option.default !== undefined) flags[option.key] = option.default;
  }
  const specs = [command.argument, ...command.moreArguments];
  if (positionals.length > specs.length) {
    const expected = `${specs.length} argument${specs.length === 1 ? '' : 's'}`;
    throw new UsageError(`too many arguments for '${command.name}'. Expected ${expected} but got ${positionals.length}.`);
  }
  const values = specs.map((spec, i) => {
    const value = positionals[i] ?? spec.default;
    if (value === undefined) throw new UsageError(`missing required argument '${spec.name}'`);
    return value;
  });
  const [argument = '', ...rest] = values;
  return { kind: 'run', argument, rest, flags };
}

function parseArgsOptions(command: Command): ParseArgsOptions {
  const options: ParseArgsOptions = { help: { type: 'boolean', short: 'h' } };
  for (const option of command.options) {
    options[option.long] = {
      type: option.value === undefined ? 'boolean' : 'string',
      ...(option.short === undefined ? {} : { short: option.short }),
    };
  }
  return options;
}

function findOption(command: Command, token: OptionToken): OptionDef {
  const option = command.options.find((o) => o.long === token.name && (token.rawName === `--${o.long}` || token.rawName === `-${o.short}`));
  if (option !== undefined) return option;
  throw unknownOption(token.rawName, [...command.options.map((o) => `--${o.long}`), '--help']);
}

function optionValue(option: OptionDef, token: OptionToken): FlagValue {
  if (option.value === undefined) {
    if (token.value !== undefined) throw new UsageError(`option '${optionFlags(option)}' takes no value, got '${token.value}'`);
    return true;
  }
  if (token.value === undefined) throw new UsageError(`option '${optionFlags(option)}' argument missing`);
  if (option.choices !== undefined && !option.choices.includes(token.value)) {
    throw new UsageError(`--${option.long} must be one of ${option.choices.join(', ')}, got "${token.value}"`);
  }
  return option.parse === undefined ? token.value : option.parse(token.value, `--${option.long}`);
}
