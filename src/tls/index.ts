export { type ClientTlsFiles, channelCredentialsFromFiles } from './channel-credentials.js';
export { checkPemFiles, type PemFileSet, type PemSettingNames } from './pem-files.js';
export {
  type ServerTlsFiles,
  serverCredentialsFromConfig,
  serverCredentialsFromFiles,
  type TlsFromConfigOptions,
  type TlsSettings,
} from './server-credentials.js';
export { DEFAULT_TLS_REFRESH_INTERVAL_MS, type WatchPemFilesOptions, watchPemFiles } from './validating-provider.js';
