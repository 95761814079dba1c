import type { AutoscalerKind } from '../index.js';
import type { SwitchOptionSpec, TextOptionSpec } from './command.js';
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
export const verboseOption: SwitchOptionSpec = { short: 'v', description: 'print stack traces on errors' };

/** `-n, --namespace`, shared by `manifests` and `deploy`. */
export const namespaceOption: TextOptionSpec = {
  short: 'n',
  value: 'namespace',
  description: 'namespace of every object (default: deploy.namespace, else default)',
};

/** `-a, --autoscaler`, shared by `manifests` and `deploy`. */
export const autoscalerOption: TextOptionSpec<AutoscalerKind> = {
  short: 'a',
  value: 'kind',
  description: 'autoscaler (default: deploy.autoscaler, else hpa)',
  choices: ['hpa', 'keda', 'none'],
};
