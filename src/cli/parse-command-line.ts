import { parseArgs } from 'node:util';
import type { Command, FlagValues } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';
import type { Program } from './program.js';
import { UsageError, unknownCommand, unknownOption } from './usage-error.js';

/** Text to print and the exit code: help, the version, or a usage error. */
export interface Printout {
  readonly kind: 'print';
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  readonly exitCode: 0 | 2;
}

/** A command to run with its argument and options. */
export interface CommandCall {
  readonly kind: 'run';
  readonly command: Command;
  readonly argument: string;
  /** The arguments after the first, for a command that takes more. */
  readonly rest: readonly string[];
  readonly flags: FlagValues;
}

/**
 * Reads a command line (without `node` and the script): help and `--version` print and exit 0;
 * no command prints the help to stderr and exits 2; a usage error prints `error: …` and a pointer
 * to `--help` to stderr and exits 2. Nothing here imports a command's dependencies.
 *
 * @example
 * parseCommandLine(krpcApp, ['start', '--port', 'abc']);
 * // { kind: 'print', stream: 'stderr', exitCode: 2,
 * //   text: 'error: --port must be a whole number, got "abc"\n(run krpc-app --help for usage)\n' }
 */
export function parseCommandLine(program: Program, argv: readonly string[]): Printout | CommandCall {
  try {
    return dispatch(program, argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return print('stderr', `error: ${error.message}\n(run ${program.name} --help for usage)\n`, 2);
  }
}

function dispatch(program: Program, argv: readonly string[]): Printout | CommandCall {
  const { tokens } = parseArgs({
    args: [...argv],
    options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'V' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const first = tokens.find((token) => token.kind === 'positional');
  const before = tokens.filter((token) => first === undefined || token.index < first.index);
  const programOptions = before.flatMap((token) => (token.kind === 'option' ? [token] : []));
  if (programOptions.some((token) => token.name === 'help')) return print('stdout', program.help, 0);
  if (programOptions.some((token) => token.name === 'version')) return print('stdout', `${program.version()}\n`, 0);
  const unknown = programOptions[0];
  if (unknown !== undefined) throw unknownOption(unknown.rawName, ['--help', '--version']);
  if (first === undefined) return print('stderr', program.help, 2);
  const rest = argv.slice(first.index + 1);
  if (first.value === 'help') return helpCommand(program, rest);
  const command = findCommand(program, first.value);
  const parsed = parseCommandArgs(command, rest);
  if (parsed.kind === 'help') return print('stdout', command.help, 0);
  return { kind: 'run', command, argument: parsed.argument, rest: parsed.rest, flags: parsed.flags };
}

/** `krpc-app help [command]`. */
function helpCommand(program: Program, args: readonly string[]): Printout {
  if (args.length > 1) throw new UsageError(`too many arguments for 'help'. Expected 1 argument but got ${args.length}.`);
  const name = args[0];
  if (name === undefined) return print('stdout', program.help, 0);
  return print('stdout', findCommand(program, name).help, 0);
}

function findCommand(program: Program, name: string): Command {
  const command = program.commands.find((c) => c.name === name);
  if (command !== undefined) return command;
  throw unknownCommand(name, [...program.commands.map((c) => c.name), 'help']);
}

function print(stream: Printout['stream'], text: string, exitCode: Printout['exitCode']): Printout {
  return { kind: 'print', stream, text, exitCode };
}
