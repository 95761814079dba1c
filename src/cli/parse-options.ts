import type { OptionSpec } from './command.js';
import { UsageError } from './usage-error.js';

/**
 * Parses a whole-number option value (`--port 8080`); anything else is a usage error naming the flag
 * and the value.
 *
 * @example
 * parseWholeNumber('abc', '--port'); // throws UsageError: --port must be a whole number, got "abc"
 */
export function parseWholeNumber(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} must be a whole number, got "${raw}"`);
  return Number(raw);
}

/** `-v, --verbose`, which every command has: `main` prints the stack trace of a failure with it. */
export const verboseOption: OptionSpec = { short: 'v' };
/** `-p, --port`, `-H, --host`, `--runtime-port`: where an app listens, shared by `start` and `dev`. */
export const listenOptions = {
  port: { short: 'p', value: 'port', parse: parseWholeNumber },
  host: { short: 'H', value: 'host' },
  runtimePort: { value: 'port', parse: parseWholeNumber },
} satisfies Record<string, OptionSpec>;
/** `-n, --namespace`, shared by `manifests` and `deploy`. */
export const namespaceOption: OptionSpec = { short: 'n', value: 'namespace' };
/** `-a, --autoscaler`, shared by `manifests` and `deploy`. */
export const autoscalerOption: OptionSpec = { short: 'a', value: 'kind', choices: ['hpa', 'keda', 'none'] };
