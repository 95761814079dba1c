/** A parsed option value: `true` for a switch, the text or whole number for an option that takes one. */
export type FlagValue = string | number | boolean;

/** Parsed options, keyed by the option's property name (`runtimePort` for `--runtime-port`). */
export type FlagValues = Readonly<Record<string, FlagValue | undefined>>;

interface OptionBase {
  /** One letter: `'p'` for `-p`. */
  readonly short?: string;
  readonly description: string;
}

/** An option without a value (`--verbose`): `true` when given. */
export interface SwitchOptionSpec extends OptionBase {
  readonly value?: undefined;
}

/** An option that takes a text value, optionally one of `choices`. */
export interface TextOptionSpec<V extends string = string> extends OptionBase {
  /** The value's name in help: `'dir'` shows `--out <dir>`. */
  readonly value: string;
  readonly choices?: readonly V[];
  readonly default?: V;
}

/** An option whose value `parse` turns into a number, throwing a `UsageError` for a bad one. */
export interface NumberOptionSpec extends OptionBase {
  readonly value: string;
  /** `flag` is the option's long form (`--port`), for the error message. */
  readonly parse: (raw: string, flag: string) => number;
  readonly default?: number;
}

/** The spec an option of type `V` needs: a switch for booleans, a parser for numbers. */
export type OptionSpec<V> = [V] extends [boolean]
  ? SwitchOptionSpec
  : [V] extends [number]
    ? NumberOptionSpec
    : [V] extends [string]
      ? TextOptionSpec<V>
      : never;

/** Any option spec. */
export type AnyOptionSpec = SwitchOptionSpec | TextOptionSpec | NumberOptionSpec;

/**
 * One spec per property of a command's flags, in the order help lists them. The long form is the
 * property name in kebab case (`dryRun` → `--dry-run`); a property that is not optional needs a default.
 */
export type OptionTable<Flags> = {
  readonly [K in keyof Flags]-?: undefined extends Flags[K]
    ? OptionSpec<NonNullable<Flags[K]>>
    : OptionSpec<Flags[K]> & { readonly default: Flags[K] };
};

/** The command's one positional argument; without a default it is required. */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly default?: string;
}

/** A command as its module writes it: typed flags, and a `run` that imports what it needs when called. */
export interface CommandSpec<Flags> {
  readonly name: string;
  readonly description: string;
  readonly argument: ArgumentSpec;
  readonly options: OptionTable<Flags>;
  readonly run: (argument: string, flags: Flags) => Promise<void>;
}

/** An option as the parser and the help see it. */
export interface OptionDef {
  /** The property name in the parsed flags. */
  readonly key: string;
  /** Without the dashes: `'runtime-port'`. */
  readonly long: string;
  readonly short?: string;
  readonly value?: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly default?: string | number;
  readonly parse?: (raw: string, flag: string) => number;
}

/** A command as the parser, the help and `main` see it. */
export interface Command {
  readonly name: string;
  readonly description: string;
  readonly argument: ArgumentSpec;
  readonly options: readonly OptionDef[];
  readonly run: (argument: string, flags: FlagValues) => Promise<void>;
}

/**
 * Turns a command's typed spec into the untyped form the parser walks.
 *
 * @example
 * export const startCommand = defineCommand<{ port?: number; verbose?: boolean }>({
 *   name: 'start',
 *   description: 'serve the app in DIR',
 *   argument: { name: 'dir', description: 'app directory', default: '.' },
 *   options: { port: { short: 'p', value: 'port', description: 'gRPC port', parse: parseWholeNumber }, verbose: verboseOption },
 *   run: async (dir, flags) => { const { startApp } = await import('../index.js'); … },
 * });
 */
export function defineCommand<Flags>(spec: CommandSpec<Flags>): Command {
  const options = Object.entries<AnyOptionSpec>(spec.options).map(([key, option]): OptionDef => ({ key, long: kebabCase(key), ...option }));
  return {
    name: spec.name,
    description: spec.description,
    argument: spec.argument,
    options,
    // parseCommandArgs fills `flags` from exactly these options, each checked against its spec.
    run: (argument, flags) => spec.run(argument, flags as Flags),
  };
}

/** `-p, --port <port>` or `--dry-run`: how help and error messages name an option. */
export function optionFlags(option: OptionDef): string {
  const long = `--${option.long}${option.value === undefined ? '' : ` <${option.value}>`}`;
  return option.short === undefined ? long : `-${option.short}, ${long}`;
}

function kebabCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
