import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/index.js';
import { parseKubernetesTarget, podNamespace } from './target.js';

describe('parseKubernetesTarget', () => {
  it('reads NAME.NAMESPACE:PORT with a named or numbered port', () => {
    expect(parseKubernetesTarget('/greeter.shop:grpc', 'default')).toEqual({ service: 'greeter', namespace: 'shop', port: 'grpc' });
    expect(parseKubernetesTarget('greeter.shop:50051', 'default')).toEqual({ service: 'greeter', namespace: 'shop', port: 50051 });
  });

  it('defaults the namespace and accepts cluster DNS suffixes', () => {
    expect(parseKubernetesTarget('greeter:grpc', 'mine')).toEqual({ service: 'greeter', namespace: 'mine', port: 'grpc' });
    expect(parseKubernetesTarget('greeter.shop.svc.cluster.local:grpc', 'x')).toMatchObject({ service: 'greeter', namespace: 'shop' });
  });

  it.each(['greeter', 'greeter.shop', 'Greeter:grpc', 'a.b.c:grpc', 'greeter:0', 'greeter:99999', 'greeter:-x', ''])(
    'rejects %j with a fix',
    (path) => {
      let error: unknown;
      try {
        parseKubernetesTarget(path, 'default');
      } catch (e) {
        error = e;
      }
      expect(ConfigurationError.is(error)).toBe(true);
      expect((error as ConfigurationError).code).toBe('KRPC_TARGET_INVALID');
      expect((error as Error).message).toContain('kubernetes:///NAME.NAMESPACE:PORT');
    },
  );
});

describe('podNamespace', () => {
  it('reads the service-account namespace file, else POD_NAMESPACE, else default', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ns-')), 'namespace');
    writeFileSync(file, 'payments\n');
    expect(podNamespace(file)).toBe('payments');
    const saved = process.env.POD_NAMESPACE;
    try {
      delete process.env.POD_NAMESPACE;
      expect(podNamespace('/nonexistent/namespace')).toBe('default');
      process.env.POD_NAMESPACE = 'from-env';
      expect(podNamespace('/nonexistent/namespace')).toBe('from-env');
    } finally {
      if (saved === undefined) delete process.env.POD_NAMESPACE;
      else process.env.POD_NAMESPACE = saved;
    }
  });
});
