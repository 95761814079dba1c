import { UsageError } from '../usage-error.js';

/**
 * `--header` values as name/value pairs: each value is `name:value`, or a comma list of them
 * (`a:1,b:2`); a comma followed by something other than `name:` stays part of the value.
 *
 * @example
 * parseHeaders(['authorization: Bearer x', 'x-a:1,x-b:2']); // [['authorization', 'Bearer x'], ['x-a', '1'], ['x-b', '2']]
 */
export function parseHeaders(values: readonly string[]): [string, string][] {
  return values.flatMap((value) =>
    value.split(/,(?=\s*[\w.-]+\s*:)/).map((part): [string, string] => {
      const colon = part.indexOf(':');
      const name = part.slice(0, colon).trim().toLowerCase();
      if (colon <= 0 || name === '') throw new UsageError(`--header must be name:value, got "${part}"`);
      return [name, part.slice(colon + 1).trim()];
    }),
  );
}
