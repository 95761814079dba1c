import { DiscoveryV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeKubeApi } from '../support/fake-kube-api/index.js';

interface Seen {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number };
}

/** Opens a watch with the real client-node and collects events until it ends. */
function watchEvents(kc: KubeConfig, params: Record<string, string | boolean>) {
  const events: Seen[] = [];
  let ended = false;
  let endError: unknown;
  const controller = new Watch(kc).watch(
    '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
    { labelSelector: 'kubernetes.io/service-name=greeter', ...params },
    (type, object) => events.push({ type, object }),
    (error) => {
      ended = true;
      endError = error;
    },
  );
  return { events, ended: () => ended, endError: () => endError, abort: async () => (await controller).abort() };
}

describe('fake kube-api driven by the real @kubernetes/client-node', () => {
  let api: FakeKubeApi;
  let kc: KubeConfig;
  beforeAll(async () => {
    api = await FakeKubeApi.start();
    kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath);
  });
  afterAll(() => api.close());

  it('lists by label selector over TLS the kubeconfig trusts, with the bearer token', async () => {
    api.upsertEndpointSlice({
      service: 'greeter',
      name: 'greeter-a',
      ports: [{ name: 'grpc', port: 50051 }],
      endpoints: [{ ip: '10.0.0.1' }],
    });
    api.upsertEndpointSlice({ service: 'other', name: 'other-a', endpoints: [{ ip: '10.0.0.9' }] });
    const list = await kc
      .makeApiClient(DiscoveryV1Api)
      .listNamespacedEndpointSlice({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=greeter' });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(['greeter-a']);
    expect(Number(list.metadata?.resourceVersion)).toBe(api.store.resourceVersion);
    expect(api.requests.at(-1)?.authorization).toBe('Bearer fake-token');
  });

  it('streams synthetic ADDED on a fresh watch, then live events and bookmarks', async () => {
    const w = watchEvents(kc, { allowWatchBookmarks: true });
    await api.waitFor(() => w.events.length === 1, 'synthetic ADDED');
    expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'greeter-a' } } });
    api.upsertEndpointSlice({ service: 'greeter', name: 'greeter-b', endpoints: [{ ip: '10.0.0.2' }] });
    api.deleteEndpointSlice('default', 'greeter-a');
    api.sendBookmarks();
    await api.waitFor(() => w.events.length === 4, 'live events');
    expect(w.events.slice(1).map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'BOOKMARK']);
    expect(w.events[3]?.object.metadata?.resourceVersion).toBe(String(api.store.resourceVersion));
    await w.abort();
  });

  it('resumes from a resourceVersion, and answers a compacted one with ERROR 410', async () => {
    const rv = api.store.resourceVersion;
    api.upsertEndpointSlice({ service: 'greeter', name: 'greeter-c', endpoints: [{ ip: '10.0.0.3' }] });
    const resumed = watchEvents(kc, { resourceVersion: String(rv) });
    await api.waitFor(() => resumed.events.length === 1, 'replayed event');
    expect(resumed.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'greeter-c' } } });
    await resumed.abort();
    api.compact();
    api.upsertEndpointSlice({ service: 'greeter', name: 'greeter-d', endpoints: [{ ip: '10.0.0.4' }] });
    const expired = watchEvents(kc, { resourceVersion: String(rv) });
    await api.waitFor(() => expired.ended(), 'the expired watch to end');
    expect(expired.events).toEqual([{ type: 'ERROR', object: expect.objectContaining({ code: 410, reason: 'Expired' }) }]);
  });

  it('drops watch connections on demand', async () => {
    const w = watchEvents(kc, {});
    await api.waitFor(() => api.activeWatches === 1, 'the watch to open');
    expect(api.dropWatches()).toBe(1);
    await api.waitFor(() => w.ended(), 'the client to notice');
  });
});
