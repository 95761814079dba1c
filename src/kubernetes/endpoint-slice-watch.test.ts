import { describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/fault-cluster/wait.mjs';
import { silentLogger } from '../logging/index.js';
import type { EndpointSliceLike } from './endpoint-slice.js';
import { EndpointSliceWatch, type SliceSnapshot } from './endpoint-slice-watch.js';
import type { EndpointSliceApi, WatchEvent, WatchParams } from './kube-client.js';

interface OpenWatch {
  readonly params: WatchParams;
  readonly send: (event: WatchEvent) => void;
  readonly end: (error: unknown) => void;
}

/** A scripted EndpointSlice API: lists return `items`; watches are exposed to the test. */
function scriptedApi(items: EndpointSliceLike[], resourceVersion = '10') {
  const lists: string[] = [];
  const watches: OpenWatch[] = [];
  const api: EndpointSliceApi = {
    server: 'scripted',
    nodeLabels: async () => ({}),
    list: async (_namespace, selector) => {
      lists.push(selector);
      return { items: structuredClone(items), resourceVersion };
    },
    watch: async (_namespace, params, onEvent, onDone) => {
      watches.push({ params, send: onEvent, end: onDone });
      return () => onDone(new Error('aborted'));
    },
  };
  return { api, lists, watches };
}

const slice = (name: string, ip: string, rv: string): EndpointSliceLike => ({
  metadata: { name, resourceVersion: rv },
  endpoints: [{ addresses: [ip] }],
});

describe('EndpointSliceWatch', () => {
  it('lists, then watches from the list version, applying ADDED/MODIFIED/DELETED per slice', async () => {
    const { api, lists, watches } = scriptedApi([slice('a', '10.0.0.1', '9')]);
    const watch = new EndpointSliceWatch({ service: 'greeter', namespace: 'default' }, { api: async () => api, logger: silentLogger() });
    const snapshots: SliceSnapshot[] = [];
    watch.subscribe((s) => snapshots.push(s));
    watch.start();
    await waitFor(() => watches.length === 1, { what: 'condition' });
    expect(lists).toEqual(['kubernetes.io/service-name=greeter']);
    expect(watches[0]?.params).toMatchObject({ labelSelector: 'kubernetes.io/service-name=greeter', resourceVersion: '10' });
    watches[0]?.send({ type: 'ADDED', object: slice('b', '10.0.0.2', '11') });
    watches[0]?.send({ type: 'MODIFIED', object: slice('a', '10.0.0.3', '12') });
    watches[0]?.send({ type: 'DELETED', object: slice('b', '10.0.0.2', '13') });
    watches[0]?.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '20' } } });
    expect([...(watch.snapshot().slices?.keys() ?? [])]).toEqual(['a']);
    expect(watch.snapshot().slices?.get('a')?.endpoints?.[0]?.addresses).toEqual(['10.0.0.3']);
    expect(snapshots).toHaveLength(4);
    watch.stop();
  });

  it('resumes a dropped watch from the last resourceVersion, and re-lists after 410', async () => {
    const { api, lists, watches } = scriptedApi([slice('a', '10.0.0.1', '9')]);
    const watch = new EndpointSliceWatch(
      { service: 'greeter', namespace: 'default' },
      { api: async () => api, logger: silentLogger(), backoff: { initialMs: 2, maxMs: 10 } },
    );
    watch.start();
    await waitFor(() => watches.length === 1, { what: 'condition' });
    watches[0]?.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } });
    watches[0]?.end(new Error('socket hang up'));
    await waitFor(() => watches.length === 2, { what: 'condition' });
    expect(watches[1]?.params.resourceVersion).toBe('15');
    expect(lists).toHaveLength(1);
    watches[1]?.send({ type: 'ERROR', object: { code: 410, message: 'too old resource version' } });
    watches[1]?.end(null);
    await waitFor(() => watches.length === 3, { what: 'condition' });
    expect(lists).toHaveLength(2);
    expect(watches[2]?.params.resourceVersion).toBe('10');
    watch.stop();
  });

  it('keeps the last good slices when listing fails, and reports the error before any list', async () => {
    let fail = true;
    let failures = 0;
    const { api, watches } = scriptedApi([slice('a', '10.0.0.1', '9')]);
    const flaky: EndpointSliceApi = {
      ...api,
      list: (ns, sel) => {
        if (!fail) return api.list(ns, sel);
        failures++;
        return Promise.reject(new Error('connection refused'));
      },
    };
    const watch = new EndpointSliceWatch(
      { service: 'greeter', namespace: 'default' },
      { api: async () => flaky, logger: silentLogger(), backoff: { initialMs: 2, maxMs: 10 } },
    );
    watch.start();
    await waitFor(() => watch.snapshot().error !== undefined, { what: 'condition' });
    expect(watch.snapshot()).toEqual({ slices: null, error: 'connection refused' });
    fail = false;
    await waitFor(() => watches.length === 1, { what: 'condition' });
    expect(watch.snapshot().slices?.size).toBe(1);
    fail = true;
    const before = failures;
    watches[0]?.send({ type: 'ERROR', object: { code: 410 } });
    watches[0]?.end(null);
    await waitFor(() => failures >= before + 3, { what: 'condition' });
    expect(watch.snapshot().slices?.size).toBe(1);
    expect(watch.snapshot().error).toBeUndefined();
    watch.stop();
  });
});
