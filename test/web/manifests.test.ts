import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/index.js';
import { generateManifests, resolveDeploySpec } from '../../src/manifests/index.js';
import { spawnKrpc } from '../support/krpc-process.js';

interface Port {
  name: string;
  port?: number;
  containerPort?: number;
  appProtocol?: string;
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: { ports?: Port[]; template?: { spec: { containers: { ports: Port[]; env: { name: string; value?: string }[] }[] } } };
}

async function manifests(env: Record<string, string>): Promise<{ code: number | string; objects: Manifest[]; stderr: string }> {
  const proc = spawnKrpc(['manifests', 'samples/greeter', '-f', 'json'], env);
  const code = await proc.exited;
  const parsed = code === 0 ? (JSON.parse(proc.stdout) as Manifest[] | { items: Manifest[] }) : [];
  return { code, objects: Array.isArray(parsed) ? parsed : parsed.items, stderr: proc.stderr };
}

describe('krpc-app manifests with the web port on (samples/greeter: webPort 8080)', () => {
  it('adds the `http` port (appProtocol http) to the container, its environment and the Service', async () => {
    const { code, objects } = await manifests({});
    expect(code).toBe(0);
    const container = objects.find((o) => o.kind === 'Deployment')?.spec.template?.spec.containers[0];
    expect(container?.ports).toContainEqual({ name: 'http', containerPort: 8080, protocol: 'TCP' });
    expect(container?.env).toContainEqual({ name: 'KRPC_WEB_PORT', value: '8080' });
    const service = objects.find((o) => o.kind === 'Service');
    expect(service?.spec.ports).toContainEqual({ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' });
  });

  it('leaves it out for an app without a web port, and refuses webPort 0 with the fix', async () => {
    const config = await loadAppConfig('samples/greeter', { env: {} });
    const off = generateManifests(resolveDeploySpec({ ...config, webPort: undefined }));
    expect(JSON.stringify(off)).not.toContain('"name":"http"');
    expect(JSON.stringify(off)).not.toContain('KRPC_WEB_PORT');
    expect(() => resolveDeploySpec({ ...config, webPort: 0 })).toThrow(/webPort is 0/);
  });
});
