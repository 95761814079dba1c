import { type AppConfig, loadAppConfig } from '../../../src/config/index.js';

/** The greeter sample's configuration, read without the caller's KRPC_ environment. */
export function greeterConfig(): Promise<AppConfig> {
  return loadAppConfig('samples/greeter', { env: {} });
}

/** A configuration like the greeter's with `deploy` (and other keys) replaced. */
export async function configWith(overrides: Partial<AppConfig>): Promise<AppConfig> {
  return { ...(await greeterConfig()), ...overrides };
}
