import { ConfigurationError, closest, statusName } from '../errors/index.js';
import type { ClientDeclarationOptions, HedgingPolicyOptions, KeepaliveOptions, RetryPolicyOptions } from '../metadata/index.js';

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

/** The boot error of a client's bad setting: `Client <service>: <problem>`, with the fix. */
export function clientInvalid(service: string, problem: string, fix: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError('KRPC_CLIENT_INVALID', `Client ${service}: ${problem}`, {
    service,
    fix,
    ...(cause === undefined ? {} : { cause }),
  });
}

function unknownKeys(service: string, where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = closest(key, [...known]);
    throw clientInvalid(
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
    throw clientInvalid(
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
    throw clientInvalid(
      service,
      `retryThrottling needs maxTokens in (0, 1000] and a positive tokenRatio, got ${JSON.stringify(throttling)}`,
      'use e.g. { maxTokens: 100, tokenRatio: 0.1 }, or false',
    );
}

/** Checks an optional positive duration in ms. */
export function checkMs(service: string, name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!(typeof value === 'number' && value > 0))
    throw clientInvalid(service, `${name} must be a positive number of milliseconds, got ${String(value)}`, `set ${name} to e.g. 5000`);
}

/** Checks a retry policy. */
export function checkRetry(service: string, where: string, retry: RetryPolicyOptions): void {
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 2 || retry.maxAttempts > 5) {
    throw clientInvalid(
      service,
      `${where}.maxAttempts must be an integer from 2 to 5, got ${String(retry.maxAttempts)}`,
      'count the first attempt too: maxAttempts: 3 retries twice',
    );
  }
  checkMs(service, `${where}.initialBackoffMs`, retry.initialBackoffMs);
  checkMs(service, `${where}.maxBackoffMs`, retry.maxBackoffMs);
  if (retry.backoffMultiplier !== undefined && !(retry.backoffMultiplier > 0))
    throw clientInvalid(service, `${where}.backoffMultiplier must be positive`, 'use e.g. 2');
  for (const code of retry.retryableCodes ?? []) {
    if (codeOf(code) === undefined)
      throw clientInvalid(
        service,
        `${where}.retryableCodes has an unknown status ${String(code)}`,
        "use status names such as 'UNAVAILABLE'",
      );
  }
}

/** Checks a hedging policy. */
export function checkHedging(service: string, where: string, hedging: HedgingPolicyOptions): void {
  if (!Number.isInteger(hedging.maxAttempts) || hedging.maxAttempts < 2 || hedging.maxAttempts > 5)
    throw clientInvalid(
      service,
      `${where}.maxAttempts must be an integer from 2 to 5, got ${String(hedging.maxAttempts)}`,
      'count the first copy too',
    );
  if (hedging.delayMs !== undefined && !(hedging.delayMs >= 0)) throw clientInvalid(service, `${where}.delayMs must be ≥ 0`, 'use e.g. 50');
  for (const code of hedging.nonFatalCodes ?? []) {
    if (codeOf(code) === undefined)
      throw clientInvalid(
        service,
        `${where}.nonFatalCodes has an unknown status ${String(code)}`,
        "use status names such as 'UNAVAILABLE'",
      );
  }
}

/** The number of a status given by name or number. */
export function codeOf(code: string | number): number | undefined {
  if (typeof code === 'number') return statusName(code).startsWith('CODE_') ? undefined : code;
  for (let n = 0; n <= 16; n++) if (statusName(n) === code) return n;
  return undefined;
}
