import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when the `openssl` command runs. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway PKI for a test: a CA, and leaf certificates it (or another CA) signs. */
export interface TestPki {
  readonly dir: string;
  /** Paths of the CA certificate and key. */
  readonly caCert: string;
  readonly caKey: string;
  /** Issues `name.crt`/`name.key` for CN `cn` (SANs localhost and 127.0.0.1), signed by this CA. */
  issue(name: string, cn: string, usage: 'serverAuth' | 'clientAuth'): { cert: string; key: string };
}

const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Creates a CA (EC P-256, one day) in a new temporary directory, or in `dir` under `prefix`. */
export function createPki(prefix = 'ca', dir = mkdtempSync(join(tmpdir(), 'krpc-pki-'))): TestPki {
  const caCert = join(dir, `${prefix}.crt`);
  const caKey = join(dir, `${prefix}.key`);
  openssl(dir, ['req', '-x509', ...ecKey, '-keyout', caKey, '-out', caCert, '-days', '1', '-subj', `/CN=krpc test ${prefix}`]);
  return {
    dir,
    caCert,
    caKey,
    issue(name, cn, usage) {
      const cert = join(dir, `${name}.crt`);
      const key = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      const ext = join(dir, `${name}.ext`);
      writeFileSync(ext, `subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=${usage}\n`);
      openssl(dir, ['req', ...ecKey, '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
      openssl(dir, [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-out',
        cert,
        '-days',
        '1',
        '-extfile',
        ext,
      ]);
      return { cert, key };
    },
  };
}
