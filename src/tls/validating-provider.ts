import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { experimental } from '@grpc/grpc-js';
import type { Logger } from '../logging/index.js';
import { keyMatches } from './pem-files.js';

type CertificateProvider = experimental.CertificateProvider;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;
type CaUpdate = experimental.CaCertificateUpdate;
type IdentityUpdate = experimental.IdentityCertificateUpdate;

/** Options of {@link watchPemFiles}. */
export interface WatchPemFilesOptions {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
  /** How often the files are re-read (default 60 000 ms; Kubernetes updates mounted Secrets within about a minute). */
  readonly refreshIntervalMs?: number;
  /** Where rejected updates are reported (never with file contents). */
  readonly logger?: Logger;
}

/** Default interval at which certificate files are re-read. */
export const DEFAULT_TLS_REFRESH_INTERVAL_MS = 60_000;

/**
 * A grpc-js certificate provider over PEM files that are re-read every `refreshIntervalMs`
 * (grpc-js's `FileWatcherCertificateProvider`), passing on only updates that are usable: a
 * half-written rotation (key not matching the certificate), an unparsable file or a file that
 * vanished for a moment keeps the last good certificates instead of breaking new handshakes
 * (or throwing inside grpc-js, where a mismatched pair would be an uncaught error).
 */
export function watchPemFiles(options: WatchPemFilesOptions): CertificateProvider {
  const inner = new experimental.FileWatcherCertificateProvider({
    certificateFile: options.certFile,
    privateKeyFile: options.keyFile,
    caCertificateFile: options.caFile,
    refreshIntervalMs: options.refreshIntervalMs ?? DEFAULT_TLS_REFRESH_INTERVAL_MS,
  });
  const logger = options.logger;
  let lastIdentity: IdentityUpdate | undefined;
  let lastCa: CaUpdate | undefined;
  const identityListeners = new Map<IdentityListener, IdentityListener>();
  const caListeners = new Map<CaListener, CaListener>();
  let identityComplaint = '';
  let caComplaint = '';
  // Read once now, so the first handshakes need not wait for the watcher's first (async) read:
  // grpc-js drops connections while a server's credentials are not loaded.
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    const initial = readNow(() => ({
      certificate: readFileSync(options.certFile as string),
      privateKey: readFileSync(options.keyFile as string),
    }));
    if (initial && identityProblem(initial) === undefined) lastIdentity = initial;
  }
  if (options.caFile !== undefined) {
    const initial = readNow(() => ({ caCertificate: readFileSync(options.caFile as string) }));
    if (initial && caProblem(initial) === undefined) lastCa = initial;
  }

  const acceptIdentity = (update: IdentityUpdate | null): IdentityUpdate | undefined => {
    const problem = identityProblem(update);
    if (problem === undefined && update) {
      identityComplaint = '';
      lastIdentity = update;
    } else if (problem !== identityComplaint) {
      identityComplaint = problem ?? '';
      logger?.warn(
        { certFile: options.certFile, keyFile: options.keyFile },
        `TLS certificate files not reloaded: ${problem}; keeping the previous ones`,
      );
    }
    return lastIdentity;
  };
  const acceptCa = (update: CaUpdate | null): CaUpdate | undefined => {
    const problem = caProblem(update);
    if (problem === undefined && update) {
      caComplaint = '';
      lastCa = update;
    } else if (problem !== caComplaint) {
      caComplaint = problem ?? '';
      logger?.warn({ caFile: options.caFile }, `TLS CA bundle not reloaded: ${problem}; keeping the previous one`);
    }
    return lastCa;
  };

  return {
    addIdentityCertificateListener(listener) {
      const wrapped: IdentityListener = (update) => {
        const good = acceptIdentity(update);
        if (good) listener(good);
      };
      identityListeners.set(listener, wrapped);
      inner.addIdentityCertificateListener(wrapped);
      queueMicrotask(() => {
        if (lastIdentity && identityListeners.get(listener) === wrapped) listener(lastIdentity);
      });
    },
    removeIdentityCertificateListener(listener) {
      const wrapped = identityListeners.get(listener);
      if (wrapped) inner.removeIdentityCertificateListener(wrapped);
      identityListeners.delete(listener);
    },
    addCaCertificateListener(listener) {
      const wrapped: CaListener = (update) => {
        const good = acceptCa(update);
        if (good) listener(good);
      };
      caListeners.set(listener, wrapped);
      inner.addCaCertificateListener(wrapped);
      queueMicrotask(() => {
        if (lastCa && caListeners.get(listener) === wrapped) listener(lastCa);
      });
    },
    removeCaCertificateListener(listener) {
      const wrapped = caListeners.get(listener);
      if (wrapped) inner.removeCaCertificateListener(wrapped);
      caListeners.delete(listener);
    },
  };
}

function readNow<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function identityProblem(update: IdentityUpdate | null): string | undefined {
  if (!update) return 'a file is missing or unreadable';
  try {
    const certificate = new X509Certificate(update.certificate);
    const key = createPrivateKey(update.privateKey);
    return keyMatches(certificate, key) ? undefined : 'the private key does not match the certificate (a rotation half-written?)';
  } catch {
    return 'a file is not valid PEM';
  }
}

function caProblem(update: CaUpdate | null): string | undefined {
  if (!update) return 'the file is missing or unreadable';
  try {
    new X509Certificate(update.caCertificate);
    return undefined;
  } catch {
    return 'the file is not a PEM certificate';
  }
}
