// The replica faults of issue 16, behind a relay: 3 greeter replicas (krpc-app, 127.0.0.2…),
// the relay, 8 callers with a 1 s deadline. One run per relay variant; every run starts from a
// fresh cluster so no run inherits another's connections or backoff state.
import {
  binCounts,
  callSeries,
  firstAfter,
  hold,
  lastIn,
  now,
  sendTimesByReplica,
  settlesBelow,
  shareSeries,
  startFakeKubeApi,
  startFaultCluster,
  startLoadProcess,
  startRelay,
  summarize,
} from '../../test/support/fault-cluster/index.mjs';
import { config } from './config.mjs';

/** The client defaults before issue 16, as configuration: the "before" column of every run. */
const PREVIOUS_DEFAULTS = {
  loadBalancing: 'round_robin',
  outlierDetection: false,
  keepalive: { timeMs: 60_000, timeoutMs: 20_000 },
  retryThrottling: false,
  methods: { SayHello: { retryable: false } },
};

/** The relays the replica scenarios compare. */
export const RELAYS = {
  krpc: { kind: 'krpc', label: 'framework defaults (samples/relay), now' },
  'krpc-least-request': {
    kind: 'krpc-options',
    clientOptions: { loadBalancing: 'least_request' },
    label: "framework, loadBalancing: 'least_request'",
  },
  'krpc-retry': {
    kind: 'krpc-options',
    clientOptions: { retry: { maxAttempts: 3, retryableCodes: ['UNAVAILABLE'] } },
    label: 'framework, retry (3 attempts, UNAVAILABLE)',
  },
  bare: { kind: 'bare', label: 'bare grpc-js relay (round_robin)' },
  'krpc-before': {
    kind: 'krpc',
    env: { KRPC_CLIENTS: JSON.stringify({ 'helloworld.Greeter': PREVIOUS_DEFAULTS }) },
    label: 'framework, the previous defaults (round_robin, keepalive 60 s / 20 s, no retries), set by KRPC_CLIENTS',
  },
  'krpc-fast-keepalive': {
    kind: 'krpc',
    env: { KRPC_CLIENTS: JSON.stringify({ 'helloworld.Greeter': { keepalive: 'fast' } }) },
    label: "framework defaults + keepalive: 'fast' (KRPC_CLIENTS)",
  },
};

const log = (...parts) => process.stdout.write(`${parts.join(' ')}\n`);
const round = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits)));

/**
 * Cluster (+ fake API), relay and callers; `body` gets them, runs the fault and returns the
 * figures. Everything is torn down whatever happens.
 */
async function session({ relay, kubernetes = false, readinessProbe, fault, name }, body) {
  const api = kubernetes ? await startFakeKubeApi() : undefined;
  let cluster;
  let relayServer;
  let load;
  try {
    cluster = await startFaultCluster({
      replicas: config.replicas,
      fault,
      kubeApi: api,
      readinessProbe: kubernetes ? readinessProbe : false,
      exitNoticeMs: config.exitNoticeMs,
    });
    const target = kubernetes ? cluster.kubernetesTarget : cluster.staticTarget;
    relayServer = await startRelay({ ...RELAYS[relay], target, kubeconfigPath: api?.kubeconfigPath, name: `relay ${relay}` });
    load = await startLoadProcess({
      target: `127.0.0.1:${relayServer.port}`,
      callers: config.callers,
      deadlineMs: config.deadlineMs,
      rate: config.rate,
      idPrefix: name,
      warmUp: { replicas: cluster.replicas.map((r) => r.id) },
    });
    const relayBefore = await relayServer.stats();
    const result = await body({ cluster, relay: relayServer, load });
    const relayAfter = relayServer.running() ? await relayServer.stats() : undefined;
    return { ...result, relayRssMb: { before: round(relayBefore.rss / 2 ** 20), after: round(relayAfter?.rss / 2 ** 20) } };
  } finally {
    await load?.stop().catch(() => {});
    await relayServer?.stop(3000);
    await cluster?.close();
    await api?.close();
  }
}

/**
 * Load for `beforeS`, `fault()` for `faultS`, `recover()`, load for `afterS`. Returns the records,
 * the marks, and the arrivals at every replica still running, by the time each call was sent.
 */
async function timeline({ cluster, load }, { fault, recover }) {
  await hold(config.beforeS * 1000);
  const faultAt = now();
  const context = await fault();
  await hold(config.faultS * 1000 - (now() - faultAt));
  const recoverAt = now();
  await recover?.(context);
  await hold(config.afterS * 1000 - (now() - recoverAt));
  const records = await load.stop();
  const endAt = now();
  const sends = sendTimesByReplica(await cluster.arrivals(), records);
  const from = faultAt - config.beforeS * 1000; // bin `beforeS` starts at the fault
  const seriesEnd = from + Math.floor((endAt - from) / 1000) * 1000; // whole seconds only
  return { records, sends, faultAt, recoverAt, endAt, from, seriesEnd, context };
}

/** The bin a mark falls on: marks land on bin edges, give or take a timer's millisecond. */
const bin = (t, from) => Math.round((t - from) / 1000);

/** Before/during/after summaries and the per-second series every replica scenario reports. */
function common(t) {
  const before = summarize(t.records, t.from, t.faultAt);
  const during = summarize(t.records, t.faultAt, t.recoverAt);
  const after = summarize(t.records, t.recoverAt, t.endAt);
  const series = callSeries(t.records, t.from, t.seriesEnd);
  return {
    before,
    during,
    after,
    series: { ok: series.ok, failed: series.failed },
    faultBin: config.beforeS,
    recoverBin: bin(t.recoverAt, t.from),
  };
}

/** (a) One replica frozen (SIGSTOP) for `faultS`, then thawed (SIGCONT). */
export async function freeze(relay, { kubernetes = false } = {}) {
  const name = `freeze${kubernetes ? '-k8s' : ''}-${relay}`;
  return session({ relay, kubernetes, name }, async (s) => {
    const victim = s.cluster.replica('r2');
    const t = await timeline(s, {
      fault: () => s.cluster.freeze(victim),
      recover: () => s.cluster.thaw(victim),
    });
    const sends = t.sends[victim.id] ?? [];
    const last = lastIn(sends, t.faultAt, t.recoverAt);
    const back = firstAfter(sends, t.recoverAt);
    const toVictim = binCounts(sends, t.from, t.seriesEnd);
    const lastSecond = sends.filter((x) => x >= t.recoverAt - 1000 && x < t.recoverAt).length;
    const result = {
      ...common(t),
      victim: victim.id,
      toVictimPerSec: toVictim,
      toVictimDuringPerSec: round(sends.filter((x) => x >= t.faultAt && x < t.recoverAt).length / config.faultS),
      toVictimLastSecond: lastSecond,
      /** Time from the freeze to the last call sent to it while frozen (≈ faultS: it never stopped). */
      lastCallAfterFreezeMs: last === null ? null : Math.round(last - t.faultAt),
      stillSentAtEnd: lastSecond > 0,
      /** Time from SIGCONT to the first call sent to it afterwards. */
      trafficAgainAfterThawMs: back === null ? null : Math.round(back - t.recoverAt),
      endpointEvents: s.cluster.events.filter((e) => e.event.startsWith('probe')).map((e) => ({ ...e, t: Math.round(e.t - t.faultAt) })),
    };
    log(
      `  ${name}: failed ${round(result.during.failedPct)}% during, goodput ${round(result.before.okPerSec, 0)} → ${round(result.during.okPerSec, 0)}/s,` +
        ` to frozen ${result.toVictimDuringPerSec}/s, last sent +${result.lastCallAfterFreezeMs} ms, back after ${result.trafficAgainAfterThawMs} ms`,
    );
    return result;
  });
}

/** (b) One replica SIGKILLed; a replacement starts at once on a new address (through the fake API). */
export async function kill(relay) {
  const name = `kill-${relay}`;
  return session({ relay, kubernetes: true, name }, async (s) => {
    const victim = s.cluster.replica('r2');
    const t = await timeline(s, {
      fault: async () => {
        await s.cluster.kill(victim);
        return s.cluster.replace(victim);
      },
    });
    const fresh = t.context;
    const sendsToFresh = t.sends[fresh.id] ?? [];
    const first = firstAfter(sendsToFresh, fresh.readyAt);
    const result = {
      ...common(t),
      victim: victim.id,
      replacement: { id: fresh.id, address: fresh.address, readyAfterKillMs: Math.round(fresh.readyAt - t.faultAt) },
      /** Every call that failed from the kill to the end. */
      failedAfterKill: summarize(t.records, t.faultAt, t.endAt),
      replacementTrafficAfterReadyMs: first === null ? null : Math.round(first - fresh.readyAt),
      toReplacementPerSec: binCounts(sendsToFresh, t.from, t.seriesEnd),
    };
    log(
      `  ${name}: ${result.failedAfterKill.failed} failed ${JSON.stringify(result.failedAfterKill.codes)},` +
        ` replacement ready +${result.replacement.readyAfterKillMs} ms, traffic ${result.replacementTrafficAfterReadyMs} ms after ready`,
    );
    return result;
  });
}

/** (c) One replica fails every call fast with `code` for `faultS` while the others answer in `healthyDelayMs`. */
export async function failing(relay, code) {
  const name = `failing-${code}-${relay}`;
  const healthy = { delayMs: config.healthyDelayMs };
  return session({ relay, name, fault: healthy }, async (s) => {
    const victim = s.cluster.replica('r2');
    const t = await timeline(s, {
      fault: () => s.cluster.setFault(victim, { failCode: code }),
      recover: () => s.cluster.setFault(victim, healthy),
    });
    const perReplica = Object.fromEntries(Object.entries(t.sends).map(([id, times]) => [id, binCounts(times, t.from, t.seriesEnd)]));
    const bins = perReplica[victim.id].length;
    const total = Array.from({ length: bins }, (_, i) => Object.values(perReplica).reduce((n, series) => n + series[i], 0));
    const share = shareSeries(perReplica[victim.id], total);
    const inWindow = (from, to) => {
      const mine = (t.sends[victim.id] ?? []).filter((x) => x >= from && x < to).length;
      const all = Object.values(t.sends).reduce((n, times) => n + times.filter((x) => x >= from && x < to).length, 0);
      return all ? round((100 * mine) / all) : null;
    };
    const faultBin = config.beforeS;
    const recoverBin = bin(t.recoverAt, t.from);
    const settled = settlesBelow(share, 5, faultBin, recoverBin);
    const result = {
      ...common(t),
      victim: victim.id,
      code,
      sharePerSec: share,
      callsPerSecByReplica: perReplica,
      shareBeforePct: inWindow(t.from, t.faultAt),
      shareDuringPct: inWindow(t.faultAt, t.recoverAt),
      shareLast5sPct: inWindow(Math.max(t.faultAt, t.recoverAt - 5000), t.recoverAt),
      shareAfterPct: inWindow(t.recoverAt, t.endAt),
      /** Seconds from the fault until its share stays below 5% (null: never in the window). */
      below5PctAfterS: settled === null ? null : settled - faultBin,
    };
    log(
      `  ${name}: share to failing ${result.shareBeforePct}% → ${result.shareDuringPct}% (last 5 s ${result.shareLast5sPct}%),` +
        ` callers failed ${round(result.during.failedPct)}%, below 5% after ${result.below5PctAfterS ?? 'never'}`,
    );
    return result;
  });
}
