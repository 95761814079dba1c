import { type ChannelCredentials, experimental } from '@grpc/grpc-js';
import { ConfigurationError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { checkPemFiles } from './pem-files.js';
import { watchPemFiles } from './validating-provider.js';

/** Options of {@link channelCredentialsFromFiles}. */
export interface ClientTlsFiles {
  /** PEM CA bundle the server's certificate must chain to. */
  readonly caFile: string;
  /** The client's certificate chain, for servers that require one (mTLS). */
  readonly certFile?: string;
  /** The client's private key. */
  readonly keyFile?: string;
  /** How often the files are re-read (default 60 000 ms). */
  readonly refreshIntervalMs?: number;
  readonly logger?: Logger;
}

/**
 * Channel credentials for calling a TLS server from PEM files: the CA to verify it and,
 * for mTLS, the client's own certificate and key. Files are checked now and re-read every
 * `refreshIntervalMs`, so rotated client certificates are used by new connections.
 *
 * @example
 * ```ts
 * const credentials = channelCredentialsFromFiles({
 *   caFile: '/etc/tls/ca.crt', certFile: '/etc/tls/tls.crt', keyFile: '/etc/tls/tls.key',
 * });
 * ```
 */
export function channelCredentialsFromFiles(files: ClientTlsFiles): ChannelCredentials {
  if (!files.caFile) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', 'Client TLS needs a CA bundle (caFile) to verify the server', {
      fix: 'set caFile to the CA that signed the server certificate',
    });
  }
  checkPemFiles(files, { cert: 'certFile', key: 'keyFile', ca: 'caFile' });
  const ca = watchPemFiles({ caFile: files.caFile, refreshIntervalMs: files.refreshIntervalMs, logger: files.logger });
  const identity =
    files.certFile === undefined
      ? null
      : watchPemFiles({
          certFile: files.certFile,
          keyFile: files.keyFile,
          refreshIntervalMs: files.refreshIntervalMs,
          logger: files.logger,
        });
  return experimental.createCertificateProviderChannelCredentials(ca, identity);
}
