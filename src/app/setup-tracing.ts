import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AppConfig } from '../config/index.js';
import { resolveTracingSettings } from '../tracing/tracing-settings.js';
import type { TracingRuntime } from './tracing-sdk.js';

/** The app's name and version from its package.json (else the directory's name), for `service.name`. */
function appIdentity(dir: string): { name: string; version: string | undefined } {
  const file = join(dir, 'package.json');
  if (existsSync(file)) {
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name === 'string' && pkg.name)
        return { name: pkg.name, version: typeof pkg.version === 'string' ? pkg.version : undefined };
    } catch {
      // an unreadable package.json names nothing; the directory does
    }
  }
  return { name: basename(dir), version: undefined };
}

/**
 * Tracing for an app started from its config: `undefined` when it is off, and then no
 * `@opentelemetry` module is loaded; otherwise the SDK is imported and set up. Bad settings
 * throw a `ConfigurationError` before anything starts.
 */
export async function setupTracing(
  config: AppConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<TracingRuntime | undefined> {
  const settings = resolveTracingSettings(config.tracing, env);
  if (!settings) return undefined;
  const { startTracingSdk } = await import('./tracing-sdk.js');
  const identity = appIdentity(config.dir);
  return startTracingSdk(settings, { serviceName: identity.name, serviceVersion: identity.version, env });
}
