/** A parsed option value: `true` for a switch, the text or whole number for an option that takes one, every text of a repeatable one. */
export type FlagValue = string | number | boolean | readonly string[];

/** Parsed options, keyed by the option's property name (`runtimePort` for `--runtime-port`). */
export type FlagValues = Readonly<Record<string, FlagValue | undefined>>;

/** One option of a command: a switch (no `value`) or an option taking a value. */
export interface OptionSpec {
  /** One letter: `'p'` for `-p`. */
  readonly short?: string;
  /** The value's name in messages (`'port'` shows `--port <port>`); absent for a switch. */
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly default?: string | number;
  /** Turns the text into a number, throwing a `UsageError` naming `flag` for a bad one. */
  readonly parse?: (raw: string, flag: string) => number;
  /** May be given more than once: the flag's value is every text, in order (`--header a:1 --header b:2`). */
  readonly repeatable?: boolean;
}

/** A command's positional argument; without a default it is required. */
export interface ArgumentSpec {
  readonly name: string;
  readonly default?: string;
}

/** A command as its module writes it: typed flags, its help text, and a `run` that imports what it needs. */
export interface CommandSpec<Flags> {
  readonly name: string;
  /** One line for `krpc-app --help`. */
  readonly summary: string;
  /** Everything `krpc-app <name> --help` prints. */
  readonly help: string;
  readonly argument: ArgumentSpec;
  /** Positional arguments after the first (`call TARGET METHOD [JSON]`); `run` gets them as `rest`. */
  readonly moreArguments?: readonly ArgumentSpec[];
  /** One spec per property of `Flags`; the long form is the property in kebab case (`dryRun` → `--dry-run`). */
  readonly options: { readonly [K in keyof Flags]-?: OptionSpec };
  readonly run: (argument: string, flags: Flags, rest: readonly string[]) => Promise<void>;
}

/** An option as the parser sees it. */
export interface OptionDef extends OptionSpec {
  /** The property name in the parsed flags. */
  readonly key: string;
  /** Without the dashes: `'runtime-port'`. */
  readonly long: string;
}

/** A command as the parser and `main` see it. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly argument: ArgumentSpec;
  readonly moreArguments: readonly ArgumentSpec[];
  readonly options: readonly OptionDef[];
  readonly run: (argument: string, flags: FlagValues, rest: readonly string[]) => Promise<void>;
}

/**
 * Turns a command's typed spec into the form the parser walks.
 *
 * @example
 * export const startCommand = defineCommand<{ port?: number }>({
 *   name: 'start', summary: 'serve the app', help: 'Usage: krpc-app start [dir] [options]\n…',
 *   argument: { name: 'dir', default: '.' },
 *   options: { port: { short: 'p', value: 'port', parse: parseWholeNumber } },
 *   run: async (dir, flags) => { const { startApp } = await import('../app/index.js'); … },
 * });
 */
export function defineCommand<Flags>(spec: CommandSpec<Flags>): Command {
  const options = Object.entries<OptionSpec>(spec.options).map(([key, option]): OptionDef => ({ key, long: kebabCase(key), ...option }));
  // parseCommandArgs fills `flags` from exactly these options, each checked against its spec.
  return {
    ...spec,
    moreArguments: spec.moreArguments ?? [],
    options,
    run: (argument, flags, rest) => spec.run(argument, flags as Flags, rest),
  };
}

/** `[dir]` or `<target> <method> [json]`: a command's arguments as its usage line shows them (`<…>` required). */
export function argumentsUsage(command: Pick<Command, 'argument' | 'moreArguments'>): string {
  return [command.argument, ...command.moreArguments].map((a) => (a.default === undefined ? `<${a.name}>` : `[${a.name}]`)).join(' ');
}

/** `-p, --port <port>` or `--dry-run`: how error messages name an option. */
export function optionFlags(option: OptionDef): string {
  const long = `--${option.long}${option.value === undefined ? '' : ` <${option.value}>`}`;
  return option.short === undefined ? long : `-${option.short}, ${long}`;
}

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
