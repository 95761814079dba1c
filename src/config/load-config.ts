import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError, closest } from '../errors/index.js';
import { type AppConfigValues, CONFIG_KEYS, type ConfigKey, DEFAULT_CONFIG } from './config-keys.js';

/** An app's configuration with where it came from. */
export interface AppConfig extends AppConfigValues {
  /** The app directory (relative paths are resolved from it). */
  readonly dir: string;
  /** The file the configuration was read from, if any. */
  readonly file: string | undefined;
}

/** Options of {@link loadAppConfig}. */
export interface LoadConfigOptions {
  /** Environment to read `KRPC_…` overrides from (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values that win over file and environment (command-line flags). */
  readonly overrides?: Partial<Record<keyof AppConfigValues, unknown>>;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const FILES = ['krpc.config.json', 'krpc.config.mjs', 'krpc.config.js'];

/**
 * Reads an app's configuration: `krpc.config.json` / `.mjs` / `.js` or the `"krpc"` field of
 * its package.json, then `KRPC_…` environment variables, then `overrides`; validates every
 * value and names the offending key, source and fix.
 */
export async function loadAppConfig(dir: string, options: LoadConfigOptions = {}): Promise<AppConfig> {
  const appDir = resolve(dir);
  if (!existsSync(appDir)) {
    throw new ConfigurationError('KRPC_CONFIG_NOT_FOUND', `App directory not found: ${appDir}`, {
      fix: 'pass the directory that holds krpc.config.json (or a package.json with a "krpc" field)',
    });
  }
  const { values: fileValues, file } = await readConfigFile(appDir);
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const [key, value] of Object.entries(fileValues)) merged[key] = coerce(keyFor(key, file ?? 'config'), value, file ?? 'config file');
  const layers: Record<string, unknown>[] = [configFromEnv(options.env ?? process.env)];
  const flags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) flags[key] = coerce(keyFor(key, 'command line'), value, `--${key}`);
  }
  layers.push(flags);
  for (const layer of layers) {
    const { clients, ...rest } = layer;
    Object.assign(merged, rest);
    if (clients !== undefined) merged.clients = mergeClients(merged.clients, clients);
  }
  if (merged.clients !== undefined) checkClients(merged.clients);
  return { ...(merged as unknown as AppConfigValues), dir: appDir, file };
}

/**
 * The settings the `KRPC_…` environment variables set, validated like a config file's (a bad value
 * is a `ConfigurationError` naming the variable). Unset and empty variables are left out.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Partial<AppConfigValues> {
  const values: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) {
    const raw = env[k.env];
    if (raw !== undefined && raw !== '') values[k.key] = coerce(k, raw, `environment variable ${k.env}`);
  }
  return values as Partial<AppConfigValues>;
}

/** Per service, a later source's options win over an earlier one's; services only one names are kept. */
function mergeClients(below: unknown, above: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = { ...(below as Record<string, unknown> | undefined) };
  for (const [service, options] of Object.entries(above as Record<string, unknown>)) {
    const under = result[service];
    const mergeable = typeof under === 'object' && under !== null && typeof options === 'object' && options !== null;
    result[service] = mergeable ? { ...under, ...options } : options;
  }
  return result;
}

function checkClients(clients: unknown): void {
  for (const [service, options] of Object.entries(clients as Record<string, unknown>)) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new ConfigurationError('KRPC_CLIENT_INVALID', `Invalid clients["${service}"]: ${JSON.stringify(options)} is not an object`, {
        service,
        fix: `write clients: { "${service}": { "keepalive": "fast", "loadBalancing": "round_robin" } } (KRPC_CLIENTS in the environment)`,
      });
    }
  }
}

async function readConfigFile(dir: string): Promise<{ values: Record<string, unknown>; file: string | undefined }> {
  for (const name of FILES) {
    const file = resolve(dir, name);
    if (!existsSync(file)) continue;
    if (name.endsWith('.json')) return { values: parseJson(file, readFileSync(file, 'utf8')), file };
    const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return { values: asObject(mod.default, file), file };
  }
  const pkg = resolve(dir, 'package.json');
  if (existsSync(pkg)) {
    const json = parseJson(pkg, readFileSync(pkg, 'utf8'));
    if (json.krpc !== undefined) return { values: asObject(json.krpc, `${pkg} "krpc"`), file: pkg };
  }
  return { values: {}, file: undefined };
}

function parseJson(file: string, text: string): Record<string, unknown> {
  try {
    return asObject(JSON.parse(text), file);
  } catch (error) {
    if (ConfigurationError.is(error)) throw error;
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `Config file is not valid JSON: ${(error as Error).message}`, {
      fix: `correct the JSON in ${file}`,
      cause: error,
    });
  }
}

function asObject(value: unknown, source: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `Config in ${source} must be an object`, {
      fix: 'write { "module": "./dist/app.module.js#AppModule", "port": 50051, ... }',
    });
  }
  return value as Record<string, unknown>;
}

function keyFor(name: string, source: string): ConfigKey {
  const found = CONFIG_KEYS.find((k) => k.key === name);
  if (found) return found;
  const guess = closest(
    name,
    CONFIG_KEYS.map((k) => k.key),
  );
  throw new ConfigurationError('KRPC_CONFIG_INVALID', `Unknown config key "${name}" in ${source}`, {
    fix: guess ? `did you mean "${guess}"?` : `known keys: ${CONFIG_KEYS.map((k) => k.key).join(', ')}`,
  });
}

function coerce(key: ConfigKey, value: unknown, source: string): unknown {
  const fail = (expected: string): never => {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `Invalid ${key.key} from ${source}: ${JSON.stringify(value)} is not ${expected}`, {
      fix: `set ${key.key} (${key.env}) to ${expected}`,
    });
  };
  switch (key.type) {
    case 'string':
      if (key.values) return typeof value === 'string' && key.values.includes(value) ? value : fail(`one of ${key.values.join(', ')}`);
      return typeof value === 'string' && value !== '' ? value : fail('a non-empty string');
    case 'log-level':
      return typeof value === 'string' && LEVELS.includes(value) ? value : fail(`one of ${LEVELS.join(', ')}`);
    case 'list':
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
      if (typeof value === 'string')
        return value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
      return fail('a list of strings');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return fail('true or false');
    case 'object':
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
      if (typeof value === 'string') {
        try {
          const parsed: unknown = JSON.parse(value);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
        } catch {
          // reported below
        }
      }
      return fail('an object (JSON in the environment)');
    case 'port-or-off':
      if (value === 'off' || value === false) return undefined;
      return coerce({ ...key, type: 'port' }, value, source);
    case 'port':
    case 'integer': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
      const max = key.type === 'port' ? 65535 : Number.MAX_SAFE_INTEGER;
      return Number.isInteger(n) && n >= 0 && n <= max ? n : fail(key.type === 'port' ? 'a port number (0-65535)' : 'a whole number ≥ 0');
    }
  }
}
