import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors/index.js';

/** Which file of a TLS configuration something is about (used in messages; never the contents). */
export type PemRole = 'certificate' | 'private key' | 'CA bundle';

/**
 * Reads a PEM file, failing with a {@link ConfigurationError} that names the file and its role
 * (and the OS error code) but never prints the file's contents.
 */
export function readPem(file: string, role: PemRole, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'read error';
    throw new ConfigurationError('KRPC_CONFIG_NOT_FOUND', `The TLS ${role} file ${file} cannot be read (${code})`, {
      fix: `check ${setting}: the path must name a readable PEM file (in Kubernetes, the mounted Secret's key)`,
    });
  }
}

/** Parses a PEM certificate (the first of a chain); a bad file is a ConfigurationError. */
export function parseCertificate(pem: Buffer, file: string, role: PemRole, setting: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `The TLS ${role} file ${file} is not a PEM certificate`, {
      fix: `${setting} must name a file starting with -----BEGIN CERTIFICATE-----`,
    });
  }
}

/** Parses a PEM private key; a bad (or encrypted) key is a ConfigurationError. */
export function parsePrivateKey(pem: Buffer, file: string, setting: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `The TLS private key file ${file} is not an unencrypted PEM private key`, {
      fix: `${setting} must name an unencrypted PEM key (-----BEGIN PRIVATE KEY----- or an RSA/EC variant)`,
    });
  }
}

/** True when the key belongs to the certificate. */
export function keyMatches(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** The files of one TLS identity and/or trust bundle, checked up front. */
export interface PemFileSet {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caFile?: string;
}

/** Names of the settings, for messages (`KRPC_TLS_CERT` …, or an API's option names). */
export interface PemSettingNames {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/**
 * Checks that every named file is readable PEM of the right kind and that the key matches the
 * certificate, so a bad mount fails at boot with a clear message rather than at the first handshake.
 */
export function checkPemFiles(files: PemFileSet, names: PemSettingNames): void {
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    throw new ConfigurationError('KRPC_CONFIG_INVALID', `TLS needs both ${names.cert} and ${names.key}; only one is set`, {
      fix: `set both ${names.cert} (certificate chain) and ${names.key} (private key), or neither`,
    });
  }
  if (files.certFile !== undefined && files.keyFile !== undefined) {
    const certificate = parseCertificate(readPem(files.certFile, 'certificate', names.cert), files.certFile, 'certificate', names.cert);
    const key = parsePrivateKey(readPem(files.keyFile, 'private key', names.key), files.keyFile, names.key);
    if (!keyMatches(certificate, key)) {
      throw new ConfigurationError(
        'KRPC_CONFIG_INVALID',
        `The TLS private key ${files.keyFile} does not belong to the certificate ${files.certFile}`,
        {
          fix: `${names.cert} and ${names.key} must come from the same Secret (tls.crt and tls.key)`,
        },
      );
    }
  }
  if (files.caFile !== undefined) parseCertificate(readPem(files.caFile, 'CA bundle', names.ca), files.caFile, 'CA bundle', names.ca);
}
