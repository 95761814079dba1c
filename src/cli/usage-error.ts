import { closest } from '../errors/index.js';

/**
 * A command line the CLI cannot run (unknown command or option, a bad or missing value, too many
 * arguments). `main` prints it as one `error: …` line with a pointer to `--help`, exits 2, and never
 * shows its stack.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `unknown option '--prot' (did you mean --port?)`: a suggestion only for long options. */
export function unknownOption(rawName: string, longOptions: readonly string[]): UsageError {
  const suggestion = rawName.startsWith('--') ? closest(rawName, longOptions) : undefined;
  return new UsageError(`unknown option '${rawName}'${didYouMean(suggestion)}`);
}

/** `unknown command 'strat' (did you mean start?)`. */
export function unknownCommand(name: string, commands: readonly string[]): UsageError {
  return new UsageError(`unknown command '${name}'${didYouMean(closest(name, commands))}`);
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}
