import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesResolverRegistration, registerKubernetesResolver } from '../../src/kubernetes/index.js';
import { FakeKubeApi } from '../support/fake-kube-api/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { memoryLogger } from '../support/memory-logger.js';
import { type GreeterReplicas, greeterClient, startGreeterReplicas, withPolicy } from './greeter-replicas.js';

describe('kubernetes:/// resolver lifecycle and API failures', () => {
  let api: FakeKubeApi;
  let replicas: GreeterReplicas;
  let registration: KubernetesResolverRegistration;
  const logger = memoryLogger();
  const warnings = () => logger.lines.filter((e) => e.level === 'warn');

  beforeAll(async () => {
    api = await FakeKubeApi.start();
    replicas = await startGreeterReplicas(['127.0.0.2']);
    registration = registerKubernetesResolver({ kubeconfigPath: api.kubeconfigPath, logger, backoff: { initialMs: 20, maxMs: 200 } });
  });
  afterAll(async () => {
    registration?.close();
    await replicas?.close();
    await api?.close();
  });

  it('reports UNAVAILABLE naming the Service while the API was never reachable, logs once, then recovers', async () => {
    api.setAvailable(false);
    const client = await greeterClient('kubernetes:///greeter.default:grpc', withPolicy('round_robin'));
    try {
      await expect(client.hello()).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: expect.stringContaining('cannot list the EndpointSlices of Service default/greeter'),
      });
      const before = api.requests.length;
      await waitFor(() => api.requests.length > before + 3, { what: 'retries' });
      expect(warnings()).toHaveLength(1);
      api.upsertEndpointSlice({
        service: 'greeter',
        name: 'greeter-1',
        ports: [{ name: 'grpc', port: replicas.port }],
        endpoints: [{ ip: '127.0.0.2' }],
      });
      api.setAvailable(true);
      expect(await client.hello({ waitForReady: true })).toBe('127.0.0.2');
      expect(logger.lines.some((e) => e.level === 'info' && e.message.includes('watched again'))).toBe(true);
    } finally {
      client.close();
    }
  });

  it('hints at RBAC on 403', async () => {
    await waitFor(() => registration.watchedServices().length === 0, { what: 'earlier watches to stop' });
    api.failNext(2, 403);
    const client = await greeterClient('kubernetes:///forbidden.default:grpc', withPolicy('round_robin'));
    try {
      await expect(client.hello()).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: expect.stringContaining('default/forbidden'),
      });
      const forbidden = () => warnings().filter((w) => w.message.includes('default/forbidden'));
      await waitFor(() => forbidden().length > 0, { what: 'the warning' });
      expect(forbidden()[0]?.message).toContain('RBAC');
    } finally {
      client.close();
    }
  });

  it('stops the shared watch when the last channel to the Service closes', async () => {
    await waitFor(() => registration.watchedServices().length === 0, { what: 'earlier watches to stop' });
    const first = await greeterClient('kubernetes:///greeter.default:grpc', withPolicy('round_robin'));
    const second = await greeterClient('kubernetes:///greeter:grpc', withPolicy('round_robin'));
    expect(await first.hello({ waitForReady: true })).toBe('127.0.0.2');
    expect(await second.hello({ waitForReady: true })).toBe('127.0.0.2');
    expect(registration.watchedServices()).toEqual(['default/greeter']);
    expect(api.activeWatches).toBe(1);
    first.close();
    expect(registration.watchedServices()).toEqual(['default/greeter']);
    second.close();
    await waitFor(() => registration.watchedServices().length === 0 && api.activeWatches === 0, { what: 'the watch to stop' });
  });
});
