import { ConfigurationError, closest } from '../errors/index.js';

/** Settings of the web listener (the `web` section of `krpc.config`, `KRPC_WEB` as JSON). */
export interface WebOptions {
  /** Address the web port binds (default: the gRPC port's host). */
  readonly host?: string;
  /** Origins browsers may call from (`https://app.example.com`, or `*`); none by default: same-origin pages only. */
  readonly corsOrigins?: readonly string[];
  /** Request headers browser clients may send besides the protocols' own (e.g. `authorization`). */
  readonly corsAllowedHeaders?: readonly string[];
  /** Response headers browser clients may read besides the protocols' own. */
  readonly corsExposedHeaders?: readonly string[];
  /** Largest request message accepted (bytes); a larger one is answered `resource_exhausted`. Default: `maxReceiveMessageBytes`. */
  readonly maxBodyBytes?: number;
  /** A request that has not fully arrived by then (a slow body) is cut off (ms, default 30 000). */
  readonly requestTimeoutMs?: number;
  /** A connection must send its first bytes, and an HTTP/1.1 request its headers, within this (ms, default 5 000). */
  readonly handshakeTimeoutMs?: number;
  /** Idle keep-alive connections and HTTP/2 sessions are closed after this (ms, default 20 000). */
  readonly idleTimeoutMs?: number;
}

/** {@link WebOptions} with every default filled in. */
export type WebSettings = Required<WebOptions>;

const LIST_KEYS = ['corsOrigins', 'corsAllowedHeaders', 'corsExposedHeaders'] as const;
const NUMBER_KEYS = ['maxBodyBytes', 'requestTimeoutMs', 'handshakeTimeoutMs', 'idleTimeoutMs'] as const;
const KEYS: readonly string[] = ['host', ...LIST_KEYS, ...NUMBER_KEYS];

/**
 * Checks the `web` section and fills in its defaults. An unknown key, a wrong type or an origin
 * that is not `scheme://host[:port]` is a {@link ConfigurationError} naming the key and the fix.
 */
export function webSettings(
  raw: Readonly<Record<string, unknown>> | undefined,
  defaults: { host: string; maxBodyBytes: number },
): WebSettings {
  const section = raw ?? {};
  for (const key of Object.keys(section)) {
    if (KEYS.includes(key)) continue;
    const guess = key === 'port' ? 'webPort' : closest(key, KEYS);
    throw invalid(
      key,
      `is not a web setting`,
      guess
        ? `did you mean ${key === 'port' ? '"webPort" (KRPC_WEB_PORT), beside "web"' : `"web.${guess}"`}?`
        : `known keys: ${KEYS.join(', ')}`,
    );
  }
  const host = section.host ?? defaults.host;
  if (typeof host !== 'string' || host === '') throw invalid('host', 'must be a non-empty string', 'write "web": { "host": "0.0.0.0" }');
  const lists: Record<string, readonly string[]> = {};
  for (const key of LIST_KEYS) {
    const value = section[key] ?? [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
      throw invalid(
        key,
        'must be a list of strings',
        `write "web": { "${key}": ["${key === 'corsOrigins' ? 'https://app.example.com' : 'authorization'}"] }`,
      );
    }
    lists[key] = value;
  }
  for (const origin of lists.corsOrigins ?? []) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw invalid(
        'corsOrigins',
        `has ${JSON.stringify(origin)}, which is not an origin`,
        'write origins as scheme://host[:port] with no path (e.g. "https://app.example.com"), or "*"',
      );
    }
  }
  const numberDefaults = { maxBodyBytes: defaults.maxBodyBytes, requestTimeoutMs: 30_000, handshakeTimeoutMs: 5000, idleTimeoutMs: 20_000 };
  const numbers = { ...numberDefaults };
  for (const key of NUMBER_KEYS) {
    const value = section[key] ?? numberDefaults[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
      throw invalid(key, `must be a whole number > 0, not ${JSON.stringify(value)}`, `write "web": { "${key}": ${numberDefaults[key]} }`);
    numbers[key] = value;
  }
  return {
    host,
    corsOrigins: lists.corsOrigins ?? [],
    corsAllowedHeaders: lists.corsAllowedHeaders ?? [],
    corsExposedHeaders: lists.corsExposedHeaders ?? [],
    ...numbers,
  };
}

function invalid(key: string, problem: string, fix: string): ConfigurationError {
  return new ConfigurationError('KRPC_CONFIG_INVALID', `Invalid web.${key}: it ${problem}`, {
    fix: `${fix} (krpc.config "web", or KRPC_WEB as JSON)`,
  });
}
