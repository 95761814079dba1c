import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LEAST_REQUEST_POLICY, registerLeastRequestBalancer } from '../../src/balancing/index.js';
import { type KubernetesResolverRegistration, registerKubernetesResolver } from '../../src/kubernetes/index.js';
import { FakeKubeApi, type SliceEndpointSpec } from '../support/fake-kube-api/index.js';
import { waitFor } from '../support/fault-cluster/wait.mjs';
import { memoryLogger } from '../support/memory-logger.js';
import {
  type GreeterClient,
  type GreeterReplicas,
  greeterClient,
  startGreeterReplicas,
  startLoad,
  withPolicy,
} from './greeter-replicas.js';

const [A, B, C] = ['127.0.0.2', '127.0.0.3', '127.0.0.4'] as const;
const TARGET = 'kubernetes:///greeter.default:grpc';

describe('kubernetes:/// resolver against the fake API server and three real replicas', () => {
  let api: FakeKubeApi;
  let replicas: GreeterReplicas;
  let registration: KubernetesResolverRegistration;
  let client: GreeterClient;
  const logger = memoryLogger();

  const publish = (first: SliceEndpointSpec[], second: SliceEndpointSpec[] | null) => {
    const ports = [
      { name: 'metrics', port: 9464 },
      { name: 'grpc', port: replicas.port },
    ];
    api.upsertEndpointSlice({ service: 'greeter', name: 'greeter-x1', ports, endpoints: first });
    if (second) api.upsertEndpointSlice({ service: 'greeter', name: 'greeter-x2', ports, endpoints: second });
    else api.deleteEndpointSlice('default', 'greeter-x2');
  };
  const callUntilAll = async (c: GreeterClient, hosts: readonly string[]) => {
    const seen = new Set<string>();
    const deadline = Date.now() + 5000;
    while (!hosts.every((h) => seen.has(h))) {
      if (Date.now() > deadline) throw new Error(`only reached ${[...seen].join(', ')}`);
      seen.add(await c.hello({ waitForReady: true }));
    }
  };

  beforeAll(async () => {
    api = await FakeKubeApi.start({ bookmarkIntervalMs: 200 });
    replicas = await startGreeterReplicas([A, B, C]);
    api.upsertEndpointSlice({ service: 'other', name: 'other-1', ports: [{ name: 'grpc', port: 1 }], endpoints: [{ ip: '127.0.0.9' }] });
    registration = registerKubernetesResolver({ kubeconfigPath: api.kubeconfigPath, logger, backoff: { initialMs: 40, maxMs: 400 } });
    registerLeastRequestBalancer();
    client = await greeterClient(TARGET, withPolicy('round_robin'));
  });
  afterAll(async () => {
    client?.close();
    registration?.close();
    await replicas?.close();
    await api?.close();
  });
  beforeEach(async () => {
    publish([{ ip: A }, { ip: B }], [{ ip: C }]);
    await callUntilAll(client, [A, B, C]);
  });

  it('spreads 3,000 round_robin calls over both slices within ±15% of a third each', async () => {
    const counts = new Map<string, number>();
    for (let batch = 0; batch < 30; batch++) {
      const replies = await Promise.all(Array.from({ length: 100 }, () => client.hello()));
      for (const r of replies) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    console.info(`round_robin over 3,000 calls: ${[A, B, C].map((h) => `${h}=${counts.get(h)}`).join(' ')}`);
    expect([...counts.keys()].sort()).toEqual([A, B, C]);
    for (const host of [A, B, C]) expect(Math.abs((counts.get(host) ?? 0) - 1000)).toBeLessThanOrEqual(150);
    expect(api.requests.filter((r) => r.watch).every((r) => r.query.labelSelector === 'kubernetes.io/service-name=greeter')).toBe(true);
  });

  it('stops sending to a not-ready and a terminating endpoint within 1 s of the watch event', async () => {
    const load = startLoad(client);
    let changedAt = 0;
    try {
      await waitFor(() => load.records.length > 20, { what: 'load to start' });
      changedAt = Date.now();
      publish([{ ip: A }, { ip: B, ready: false }], [{ ip: C, ready: true, terminating: true }]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await load.stop();
    }
    const records = load.records;
    const late = records.filter((r) => r.startedAt > changedAt + 1000 && r.replica !== A);
    expect(late).toEqual([]);
    const lastOther = Math.max(...records.filter((r) => r.replica !== A).map((r) => r.startedAt));
    console.info(`not-ready/terminating: last call to them started ${lastOther - changedAt} ms after the change`);
    expect(records.filter((r) => r.error)).toEqual([]);
    for (let i = 0; i < 100; i++) expect(await client.hello()).toBe(A);
  });

  it('sends calls to a new endpoint within 1 s', async () => {
    publish([{ ip: A }, { ip: B }], null);
    const load = startLoad(client);
    let addedAt = 0;
    try {
      await waitFor(() => load.records.length > 40 && load.records.slice(-30).every((r) => r.replica !== C), {
        what: 'C to be gone',
        timeoutMs: 5000,
      });
      addedAt = Date.now();
      publish([{ ip: A }, { ip: B }], [{ ip: C }]);
      await waitFor(() => load.records.some((r) => r.replica === C && r.startedAt >= addedAt), {
        what: 'the new endpoint to get a call',
        timeoutMs: 1000,
      });
    } finally {
      await load.stop();
    }
    const first = Math.min(...load.records.filter((r) => r.replica === C && r.startedAt >= addedAt).map((r) => r.startedAt));
    console.info(`scale-up: first call to the new endpoint started ${first - addedAt} ms after the change`);
    expect(load.records.filter((r) => r.error)).toEqual([]);
  });

  it('honours a DELETED slice: its endpoints get no calls within 1 s, and none are lost', async () => {
    const load = startLoad(client);
    let deletedAt = 0;
    try {
      await waitFor(() => load.records.some((r) => r.replica === C), { what: 'load to reach C' });
      deletedAt = Date.now();
      publish([{ ip: A }, { ip: B }], null);
      await waitFor(() => load.records.some((r) => r.startedAt > deletedAt + 1000), {
        what: 'a second of load after the deletion',
        timeoutMs: 5000,
      });
    } finally {
      await load.stop();
    }
    const late = load.records.filter((r) => r.startedAt > deletedAt + 1000 && r.replica === C);
    expect(late).toEqual([]);
    expect(load.records.filter((r) => r.error)).toEqual([]);
  });

  it('survives a 410 Gone and a dropped watch without a failed call', async () => {
    const lists = () => api.requests.filter((r) => !r.watch).length;
    const load = startLoad(client);
    try {
      // Drop, change and compact in one tick: the reconnect resumes from a compacted version.
      let before = lists();
      api.dropWatches();
      publish([{ ip: A }, { ip: B, ready: false }], [{ ip: C }]);
      api.compact();
      await waitFor(() => lists() > before && api.activeWatches > 0, { what: 're-list after 410 Gone on resume' });
      await waitFor(() => load.records.length > 40 && load.records.slice(-20).every((r) => r.replica !== B), {
        what: 'the change made during the outage',
      });
      // ERROR 410 on an open watch.
      before = lists();
      api.expireWatches();
      await waitFor(() => lists() > before && api.activeWatches > 0, { what: 're-list after an ERROR 410 event' });
      // A dropped connection resumes from the last resourceVersion, without a list.
      before = lists();
      api.dropWatches();
      await waitFor(() => api.activeWatches > 0, { what: 'the watch to reconnect' });
      const resumed = api.requests.filter((r) => r.watch).at(-1);
      expect(Number(resumed?.query.resourceVersion)).toBeGreaterThan(0);
      expect(lists()).toBe(before);
      publish([{ ip: A }, { ip: B }], [{ ip: C }]);
      const mark = load.records.length;
      await waitFor(() => load.records.slice(mark).some((r) => r.replica === B), { what: 'the change after reconnect' });
    } finally {
      await load.stop();
    }
    expect(load.records.filter((r) => r.error)).toEqual([]);
  });

  it('keeps the last endpoints through an API outage, warns once, and recovers', async () => {
    const warningsBefore = logger.lines.filter((e) => e.level === 'warn').length;
    const load = startLoad(client);
    try {
      api.setAvailable(false);
      const failedRequests = api.requests.length;
      await waitFor(() => api.requests.length > failedRequests + 3, { what: 'several retries against the down API' });
      api.setAvailable(true);
      await waitFor(() => api.activeWatches > 0, { what: 'the watch to come back' });
      publish([{ ip: A }, { ip: B }], [{ ip: C, ready: false }]);
      const mark = load.records.length;
      await waitFor(() => load.records.length > mark + 40 && load.records.slice(-20).every((r) => r.replica !== C), {
        what: 'the change after recovery',
      });
    } finally {
      await load.stop();
      api.setAvailable(true);
    }
    expect(load.records.filter((r) => r.error)).toEqual([]);
    expect(logger.lines.filter((e) => e.level === 'warn').length - warningsBefore).toBe(1);
    expect(logger.lines.some((e) => e.level === 'info' && e.message.includes('watched again'))).toBe(true);
  });

  it('fails a call to a Service without ready endpoints with UNAVAILABLE naming it', async () => {
    api.upsertEndpointSlice({
      service: 'empty',
      name: 'empty-1',
      ports: [{ name: 'grpc', port: replicas.port }],
      endpoints: [{ ip: A, ready: false }],
    });
    const empty = await greeterClient('kubernetes:///empty.default:grpc', withPolicy('round_robin'));
    const noSlices = await greeterClient('kubernetes:///ghost:grpc', withPolicy(LEAST_REQUEST_POLICY));
    try {
      await expect(empty.hello()).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: expect.stringContaining('Service default/empty'),
      });
      await expect(noSlices.hello()).rejects.toMatchObject({
        code: status.UNAVAILABLE,
        details: expect.stringContaining('Service default/ghost'),
      });
      api.upsertEndpointSlice({
        service: 'empty',
        name: 'empty-1',
        ports: [{ name: 'grpc', port: replicas.port }],
        endpoints: [{ ip: A }],
      });
      expect(await empty.hello({ waitForReady: true })).toBe(A);
    } finally {
      empty.close();
      noSlices.close();
    }
  });

  it('shares one watch per Service across channels and balances with least_request', async () => {
    const second = await greeterClient(TARGET, withPolicy(LEAST_REQUEST_POLICY));
    try {
      await callUntilAll(second, [A, B, C]);
      expect(registration.watchedServices().filter((s) => s === 'default/greeter')).toHaveLength(1);
      const replies = await Promise.all(Array.from({ length: 300 }, () => second.hello()));
      for (const host of [A, B, C]) expect(replies.filter((r) => r === host).length).toBeGreaterThan(50);
    } finally {
      second.close();
    }
  });
});
