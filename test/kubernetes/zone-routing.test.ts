// Issue 20, part 2: zone-aware routing of the kubernetes:/// resolver, measured from outside.
// Six greeters on 127.0.0.x in three zones (two each), published with their zone on the fake
// API server; samples/relay (a real `krpc-app start`) in zone a calls them; a paced load
// generator calls the relay and records which replica answered each call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BARE,
  type FakeKubeApiHandle,
  type FaultCluster,
  hold,
  type LoadRecords,
  now,
  type Server,
  startFakeKubeApi,
  startFaultCluster,
  startLoadProcess,
  startRelay,
} from '../support/fault-cluster/index.mjs';

const ZONES = ['zone-a', 'zone-a', 'zone-b', 'zone-b', 'zone-c', 'zone-c'];

describe('zone-aware routing over EndpointSlices with zones', () => {
  let api: FakeKubeApiHandle;
  let cluster: FaultCluster;
  const zoneOf = new Map<string, string>();

  beforeAll(async () => {
    api = await startFakeKubeApi();
    cluster = await startFaultCluster({ kubeApi: api, replicas: 0, kind: 'bare', app: BARE.greeter, readinessProbe: false });
    for (const zone of ZONES) {
      const replica = await cluster.addReplica({ zone });
      zoneOf.set(replica.id ?? '', zone);
    }
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await api?.close();
  });

  const zoned = (records: LoadRecords, from = 0, to = Number.POSITIVE_INFINITY) => {
    const byZone: Record<string, number> = {};
    let failed = 0;
    let total = 0;
    for (let i = 0; i < records.end.length; i++) {
      const end = records.end[i] as number;
      if (end < from || end >= to) continue;
      total++;
      if (records.code[i] !== 0) {
        failed++;
        continue;
      }
      const zone = zoneOf.get(records.replicas[records.replica[i] as number] ?? '') ?? 'unknown';
      byZone[zone] = (byZone[zone] ?? 0) + 1;
    }
    const share = (zone: string) => (byZone[zone] ?? 0) / Math.max(1, total - failed);
    return { byZone, failed, total, share };
  };
  const inZone = (zone: string) => cluster.replicas.filter((r) => r.zone === zone);

  async function withRelay(env: Record<string, string>, body: (relay: Server, target: string) => Promise<void>) {
    const relay = await startRelay({ kind: 'krpc', target: cluster.kubernetesTarget, kubeconfigPath: api.kubeconfigPath, env });
    try {
      await body(relay, `127.0.0.1:${relay.port}`);
    } finally {
      await relay.stop(5000);
    }
  }
  const load = (target: string) => startLoadProcess({ target, callers: 8, rate: 200, deadlineMs: 2000, warmUp: { timeoutMs: 30_000 } });

  it('keeps ≥ 95% of calls in the own zone, spills over within 1 s with 0 failed calls when it goes not-ready, and comes back', async () => {
    await withRelay({ KRPC_ZONE: 'zone-a' }, async (relay, target) => {
      const callers = await load(target);
      await hold(3000);
      const wentDown = now();
      for (const r of inZone('zone-a')) cluster.setReadiness(r, false);
      await hold(3000);
      const cameBack = now();
      for (const r of inZone('zone-a')) cluster.setReadiness(r, true);
      await hold(3000);
      const records = await callers.stop();

      const before = zoned(records, 0, wentDown);
      const spilled = zoned(records, wentDown + 1000, cameBack);
      const back = zoned(records, cameBack + 1000);
      const all = zoned(records);
      // the last call sent into zone a after it went not-ready, the first sent there after it came back
      const inA = (i: number) => records.code[i] === 0 && zoneOf.get(records.replicas[records.replica[i] as number] ?? '') === 'zone-a';
      const starts = records.start.map((t, i) => ({ t, i }));
      const lastIntoA = Math.max(...starts.filter(({ t, i }) => t >= wentDown && t < cameBack && inA(i)).map(({ t }) => t), wentDown);
      const firstBack = Math.min(...starts.filter(({ t, i }) => t >= cameBack && inA(i)).map(({ t }) => t));
      console.info(
        `spill-over: last call into zone-a ${(lastIntoA - wentDown).toFixed(1)} ms after it went not-ready; first call back ${(firstBack - cameBack).toFixed(1)} ms after it recovered (${starts.filter(({ t }) => t >= wentDown && t < wentDown + 200).length} calls sent in the first 200 ms)`,
      );
      expect(lastIntoA - wentDown).toBeLessThan(1000);
      expect(firstBack - cameBack).toBeLessThan(1000);
      console.info(
        `zone-a client: before ${JSON.stringify(before.byZone)}, zone-a not ready ${JSON.stringify(spilled.byZone)}, back ${JSON.stringify(back.byZone)}, failed ${all.failed} of ${all.total}`,
      );
      expect(before.total).toBeGreaterThan(100);
      expect(before.share('zone-a')).toBeGreaterThanOrEqual(0.95);
      expect(spilled.share('zone-a')).toBe(0); // every call elsewhere from 1 s after the change
      expect(spilled.share('zone-b')).toBeGreaterThan(0.2);
      expect(spilled.share('zone-c')).toBeGreaterThan(0.2);
      expect(back.share('zone-a')).toBeGreaterThanOrEqual(0.95);
      expect(all.failed).toBe(0);
      await relay.child.waitForLog((e) => /spill over to every zone/.test(String(e.msg)), 1000);
    });
  });

  it('follows topology hints over zones when every endpoint has them', async () => {
    // the controller's hints send zone a's clients to zone b's pods
    const hints: Record<string, string[]> = { 'zone-a': ['zone-b'], 'zone-b': ['zone-a'], 'zone-c': ['zone-c'] };
    for (const r of cluster.replicas) cluster.setHints(r, hints[r.zone ?? ''] ?? []);
    try {
      await withRelay({ KRPC_ZONE: 'zone-a' }, async (_relay, target) => {
        const callers = await load(target);
        await hold(2500);
        const { share, byZone } = zoned(await callers.stop());
        console.info(`zone-a client with hints: ${JSON.stringify(byZone)}`);
        expect(share('zone-b')).toBeGreaterThanOrEqual(0.95);
      });
    } finally {
      for (const r of cluster.replicas) cluster.setHints(r, undefined);
    }
  });

  it("learns its zone from its Node's topology.kubernetes.io/zone label (NODE_NAME)", async () => {
    api.upsertNode('node-3', { 'topology.kubernetes.io/zone': 'zone-c', 'kubernetes.io/hostname': 'node-3' });
    await withRelay({ NODE_NAME: 'node-3' }, async (relay, target) => {
      const callers = await load(target);
      await hold(2500);
      const { share, byZone } = zoned(await callers.stop());
      console.info(`client on node-3: ${JSON.stringify(byZone)}`);
      expect(share('zone-c')).toBeGreaterThanOrEqual(0.95);
      await relay.child.waitForLog((e) => e.zone === 'zone-c' && /zone-aware routing in zone zone-c/.test(String(e.msg)), 1000);
    });
  });

  it('uses every zone when its own zone is unknown, and says so once', async () => {
    await withRelay({}, async (relay, target) => {
      const callers = await load(target);
      await hold(2500);
      const { share, byZone } = zoned(await callers.stop());
      console.info(`client without a zone: ${JSON.stringify(byZone)}`);
      for (const zone of ['zone-a', 'zone-b', 'zone-c']) expect(share(zone)).toBeGreaterThan(0.15);
      await relay.child.waitForLog((e) => /own zone unknown/.test(String(e.msg)), 1000);
      expect(relay.child.output().match(/own zone unknown/g)).toHaveLength(1);
    });
  });
});
