import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a kubeconfig for `server` that trusts `caPem` and authenticates with `token`; returns its path. */
export async function writeKubeconfig(dir: string, server: string, caPem: string, token: string): Promise<string> {
  const file = join(dir, 'kubeconfig.yaml');
  const ca = Buffer.from(caPem).toString('base64');
  const yaml = `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${server}
    certificate-authority-data: ${ca}
users:
- name: fake
  user:
    token: ${token}
contexts:
- name: fake
  context:
    cluster: fake
    user: fake
    namespace: default
current-context: fake
`;
  await writeFile(file, yaml, { mode: 0o600 });
  return file;
}
