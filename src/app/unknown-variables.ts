import { CONFIG_KEYS } from '../config/index.js';
import { closest } from '../errors/index.js';

/** `KRPC_…` variables the framework reads that are not configuration keys. */
const OTHER_VARIABLES = ['KRPC_REQUIRE_PEERS'];

/**
 * One line per `KRPC_`-prefixed variable of `env` that no configuration key and no declared
 * client reads, with the closest known name: a misspelt variable is otherwise silently ignored.
 *
 * @param targetVariables the `KRPC_TARGET_<SERVICE>` names of the app's declared clients
 */
export function unknownVariables(env: Readonly<Record<string, string | undefined>>, targetVariables: readonly string[]): string[] {
  const known = new Set([...CONFIG_KEYS.map((k) => k.env), ...OTHER_VARIABLES, ...targetVariables]);
  return Object.keys(env)
    .filter((name) => name.startsWith('KRPC_') && !known.has(name))
    .sort()
    .map((name) => {
      const guess = closest(name, known);
      return `${name} is set but no configuration key or client reads it${guess ? ` (did you mean ${guess}?)` : ''}`;
    });
}
