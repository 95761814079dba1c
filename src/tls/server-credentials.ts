import { resolve } from 'node:path';
import { experimental, type ServerCredentials } from '@grpc/grpc-js';
import { ConfigurationError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { checkPemFiles } from './pem-files.js';
import { watchPemFiles } from './validating-provider.js';

/** Options of {@link serverCredentialsFromFiles}. */
export interface ServerTlsFiles {
  /** PEM certificate chain of the server (Kubernetes: the Secret's `tls.crt`). */
  readonly certFile: string;
  /** PEM private key (`tls.key`). */
  readonly keyFile: string;
  /** PEM CA bundle client certificates must chain to (`ca.crt`); required with `requireClientCert`. */
  readonly caFile?: string;
  /** Require a client certificate signed by `caFile` on every connection (mTLS). */
  readonly requireClientCert?: boolean;
  /** How often the files are re-read (default 60 000 ms). */
  readonly refreshIntervalMs?: number;
  readonly logger?: Logger;
}

const API_NAMES = { cert: 'certFile', key: 'keyFile', ca: 'caFile' };

/**
 * TLS (or, with `requireClientCert`, mTLS) credentials for `app.listen()` from PEM files. The
 * files are checked now (a missing, unreadable or mismatched file is a `ConfigurationError`
 * that names the file, never its contents) and re-read every `refreshIntervalMs`: a rotated
 * certificate is used for new connections while open connections carry on undisturbed.
 *
 * @example
 * ```ts
 * const credentials = serverCredentialsFromFiles({
 *   certFile: '/etc/tls/tls.crt', keyFile: '/etc/tls/tls.key',
 *   caFile: '/etc/tls/ca.crt', requireClientCert: true,
 * });
 * await app.listen({ host: '0.0.0.0', port: 50051, credentials });
 * ```
 */
export function serverCredentialsFromFiles(files: ServerTlsFiles, names = API_NAMES): ServerCredentials {
  if (files.requireClientCert && files.caFile === undefined) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `Client certificates are required but no CA bundle is set (${names.ca})`, {
      fix: `set ${names.ca} to the CA that signs client certificates`,
    });
  }
  if (files.caFile !== undefined && !files.requireClientCert) {
    throw new ConfigurationError(
      'KRPC_CONFIG_INVALID',
      `A client CA bundle (${names.ca}) is set but client certificates are not required`,
      {
        fix: 'require client certificates (KRPC_TLS_CLIENT_AUTH=true / requireClientCert) for mTLS, or remove the CA bundle',
      },
    );
  }
  checkPemFiles(files, names);
  const identity = watchPemFiles({
    certFile: files.certFile,
    keyFile: files.keyFile,
    refreshIntervalMs: files.refreshIntervalMs,
    logger: files.logger,
  });
  const ca =
    files.caFile === undefined
      ? null
      : watchPemFiles({ caFile: files.caFile, refreshIntervalMs: files.refreshIntervalMs, logger: files.logger });
  // grpc-js names this function's parameters (ca, identity) but passes them on as (identity, ca)
  return experimental.createCertificateProviderServerCredentials(identity, ca, files.requireClientCert === true);
}

/** The TLS settings of an app's configuration (`AppConfig` has them). */
export interface TlsSettings {
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly tlsCa?: string | undefined;
  readonly tlsClientAuth?: boolean | undefined;
}

/** Options of {@link serverCredentialsFromConfig}. */
export interface TlsFromConfigOptions {
  /** Directory relative paths are resolved from (the app directory). */
  readonly dir?: string;
  readonly refreshIntervalMs?: number;
  readonly logger?: Logger;
}

const CONFIG_NAMES = { cert: 'tlsCert (KRPC_TLS_CERT)', key: 'tlsKey (KRPC_TLS_KEY)', ca: 'tlsCa (KRPC_TLS_CA)' };

/**
 * Server credentials from the app configuration's `tlsCert`/`tlsKey`/`tlsCa`/`tlsClientAuth`
 * (`KRPC_TLS_*`): `undefined` (plain text) when none is set, else as {@link serverCredentialsFromFiles}.
 *
 * @example
 * ```ts
 * const credentials = serverCredentialsFromConfig(config, { dir: config.dir, logger });
 * await app.listen({ host: config.host, port: config.port, credentials });
 * ```
 */
export function serverCredentialsFromConfig(settings: TlsSettings, options: TlsFromConfigOptions = {}): ServerCredentials | undefined {
  const { tlsCert, tlsKey, tlsCa, tlsClientAuth } = settings;
  if (tlsCert === undefined && tlsKey === undefined && tlsCa === undefined && !tlsClientAuth) return undefined;
  if (tlsCert === undefined || tlsKey === undefined) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', 'TLS settings are incomplete: the server needs tlsCert and tlsKey', {
      fix: 'set KRPC_TLS_CERT and KRPC_TLS_KEY (the Secret mounted as files), or unset every KRPC_TLS_* variable for plain text',
    });
  }
  const at = (file: string) => resolve(options.dir ?? process.cwd(), file);
  return serverCredentialsFromFiles(
    {
      certFile: at(tlsCert),
      keyFile: at(tlsKey),
      caFile: tlsCa === undefined ? undefined : at(tlsCa),
      requireClientCert: tlsClientAuth === true,
      refreshIntervalMs: options.refreshIntervalMs,
      logger: options.logger,
    },
    CONFIG_NAMES,
  );
}
