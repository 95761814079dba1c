import { ConfigurationError, closest } from '../errors/index.js';
import type { ClientDeclarationOptions, KeepaliveOptions } from '../metadata/index.js';

const CLIENT_KEYS = [
  'timeoutMs',
  'streamTimeoutMs',
  'waitForReady',
  'metadata',
  'retry',
  'retryable',
  'retryThrottling',
  'methods',
  'loadBalancing',
  'outlierDetection',
  'keepalive',
  'channelOptions',
  'propagate',
  'forwardHeaders',
  'target',
  'interceptors',
];
const METHOD_KEYS = ['retry', 'retryable', 'hedging', 'timeoutMs', 'waitForReady'];

function invalid(service: string, problem: string, fix: string): ConfigurationError {
  return new ConfigurationError('KRPC_CLIENT_INVALID', `Client ${service}: ${problem}`, { service, fix });
}

function unknownKeys(service: string, where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, [...known]);
    throw invalid(
      service,
      `unknown option ${where}${key}`,
      guess ? `did you mean ${where}${guess}?` : `known options: ${known.join(', ')}`,
    );
  }
}

/** Rejects option names a client does not have (a typo in `krpc.config` or `KRPC_CLIENTS` must not be ignored). */
export function checkKeys(service: string, options: ClientDeclarationOptions): void {
  unknownKeys(service, '', options, CLIENT_KEYS);
  for (const [rpc, method] of Object.entries(options.methods ?? {})) unknownKeys(service, `methods.${rpc}.`, method, METHOD_KEYS);
}

/** Checks a keepalive setting: a preset name or positive `timeMs`/`timeoutMs`. */
export function checkKeepalive(service: string, keepalive: KeepaliveOptions | undefined): void {
  if (keepalive === undefined || keepalive === 'fast' || keepalive === 'compatible') return;
  const ok =
    typeof keepalive === 'object' &&
    keepalive !== null &&
    keepalive.timeMs > 0 &&
    (keepalive.timeoutMs === undefined || keepalive.timeoutMs > 0);
  if (!ok)
    throw invalid(
      service,
      `keepalive must be 'fast', 'compatible' or { timeMs, timeoutMs }, got ${JSON.stringify(keepalive)}`,
      "use 'compatible' unless the server allows frequent pings",
    );
}

/** Checks a retry budget: positive `maxTokens` (≤ 1000) and `tokenRatio`. */
export function checkThrottling(service: string, throttling: ClientDeclarationOptions['retryThrottling']): void {
  if (throttling === undefined || throttling === false) return;
  const ok = throttling.maxTokens > 0 && throttling.maxTokens <= 1000 && throttling.tokenRatio > 0;
  if (!ok)
    throw invalid(
      service,
      `retryThrottling needs maxTokens in (0, 1000] and a positive tokenRatio, got ${JSON.stringify(throttling)}`,
      'use e.g. { maxTokens: 100, tokenRatio: 0.1 }, or false',
    );
}
