export { type AppConfigValues, CONFIG_KEYS, type ConfigKey, type ConfigValueType, DEFAULT_CONFIG } from './config-keys.js';
export { type AppConfig, configFromEnv, type LoadConfigOptions, loadAppConfig } from './load-config.js';
