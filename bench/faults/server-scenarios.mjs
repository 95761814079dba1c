// The single-server cases of issue 16: one greeter (krpc-app, or the bare grpc-js greeter)
// under an h2load flood with a well-behaved second client beside it, slowloris connections, and
// rapid-reset sockets; read from outside (h2load, /metrics, /proc) and, for the bare server,
// from the counters its probe keeps.
import {
  APPS,
  BARE,
  callOnce,
  codeName,
  fdsSettle,
  h2load,
  hold,
  memory,
  metricSum,
  now,
  openFds,
  rapidReset,
  sampleRss,
  slowloris,
  startLoadProcess,
  startServer,
  summarize,
} from '../../test/support/fault-cluster/index.mjs';
import { config } from './config.mjs';

const log = (...parts) => process.stdout.write(`${parts.join(' ')}\n`);
const round = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits)));

/** The servers of the overload case: a fast (synchronous) and a 20 ms async handler, each framework and bare. */
export const OVERLOAD_SERVERS = {
  'krpc-fast': {
    kind: 'krpc',
    app: APPS.greeter,
    maxInFlight: true,
    label: 'framework, samples/greeter (sync handler), KRPC_MAX_IN_FLIGHT',
  },
  'krpc-slow': {
    kind: 'krpc',
    app: APPS.faultGreeter,
    slow: true,
    maxInFlight: true,
    label: 'framework, 20 ms async handler, KRPC_MAX_IN_FLIGHT',
  },
  'bare-fast': { kind: 'bare', app: BARE.greeter, label: 'bare grpc-js, sync handler' },
  'bare-slow': { kind: 'bare', app: BARE.greeter, slow: true, label: 'bare grpc-js, 20 ms handler' },
};

/** The servers of the connection attacks: each with its defaults. */
export const ATTACK_SERVERS = {
  krpc: { kind: 'krpc', app: APPS.greeter, label: 'framework, samples/greeter (defaults)' },
  bare: { kind: 'bare', app: BARE.greeter, label: 'bare grpc-js greeter' },
};

function start(name, spec) {
  return startServer({
    kind: spec.kind,
    app: spec.app,
    name,
    fault: spec.slow ? { delayMs: config.slowDelayMs } : undefined,
    env:
      spec.kind === 'krpc' ? { ...(spec.maxInFlight ? { KRPC_MAX_IN_FLIGHT: String(config.maxInFlight) } : {}), ...config.serverEnv } : {},
  });
}

/** SayHello answers so far, OK and RESOURCE_EXHAUSTED: from /metrics (krpc-app) or the probe's counters (bare). */
async function answers(server) {
  if (server.kind === 'krpc') {
    const text = await server.metrics();
    const count = (code) => metricSum(text, 'grpc_server_handled_total', { grpc_method: 'SayHello', grpc_code: code });
    const all = metricSum(text, 'grpc_server_handled_total', { grpc_method: 'SayHello' });
    return { ok: count('OK'), shed: count('RESOURCE_EXHAUSTED'), all };
  }
  const { counters } = await server.stats();
  return { ok: counters.ok ?? 0, shed: 0, all: (counters.ok ?? 0) + (counters.failed ?? 0) };
}

/**
 * OK answers per second the h2load client got: its answers per second (any status: gRPC errors
 * are HTTP 200 too) times the OK share of what the server answered meanwhile. The server's own
 * OK count over-counts: when h2load stops, the streams still in flight (up to 10,000) are
 * answered to nobody. `others` are answers to another client in the same interval.
 */
function goodput(run, from, to, others = { ok: 0, all: 0 }) {
  const all = to.all - from.all - others.all;
  const ok = to.ok - from.ok - others.ok;
  return all > 0 ? (run.reqPerSec * ok) / all : null;
}

/** (d) Overload: unflooded capacity (h2load 8 × 25 streams), then the 100 × 100 flood with a second client. */
export async function overload(variant) {
  const spec = OVERLOAD_SERVERS[variant];
  const server = await start(`greeter ${variant}`, spec);
  let second;
  try {
    await callOnce(server.address, { deadlineMs: 5000 });
    const c0 = await answers(server);
    const capacityRun = await h2load(server.host, server.port, { connections: 8, streams: 25, seconds: config.capacityS });
    const c1 = await answers(server);
    const capacity = goodput(capacityRun, c0, c1);

    second = await startLoadProcess({
      target: server.address,
      callers: 2,
      rate: config.secondClientRate,
      deadlineMs: config.deadlineMs,
      idPrefix: `second-${variant}`,
      warmUp: {},
    });
    const f0 = await answers(server);
    const rssBefore = memory(server.pid).rssMb;
    const sampler = sampleRss(server.pid);
    const floodAt = now();
    let floodEnd;
    let peakRssMb;
    const flood = await h2load(server.host, server.port, {
      connections: config.floodConnections,
      streams: config.floodStreams,
      seconds: config.floodS,
    }).finally(() => {
      floodEnd = now();
      peakRssMb = sampler.stop();
    });
    const records = await second.stop();
    const f1 = await answers(server);
    const secondCalls = { ok: records.code.filter((c) => c === 0).length, all: records.code.length };
    const during = summarize(records, floodAt, floodEnd);
    const result = {
      label: spec.label,
      capacityOkPerSec: round(capacity, 0),
      capacityH2load: { reqPerSec: round(capacityRun.reqPerSec, 0), failed: capacityRun.failed },
      floodGoodputOkPerSec: round(goodput(flood, f0, f1, secondCalls), 0),
      floodServerOkPerSec: round((f1.ok - f0.ok - secondCalls.ok) / flood.seconds, 0),
      floodAnswersPerSec: round(flood.reqPerSec, 0),
      floodRequests: { done: flood.done, failed: flood.failed },
      shed: f1.shed - f0.shed,
      rssBeforeMb: round(rssBefore),
      peakRssMb: round(peakRssMb),
      secondClient: {
        calls: during.calls,
        okPct: during.calls ? round((100 * (during.calls - during.failed)) / during.calls) : null,
        codes: during.codes,
        okP50Ms: round(during.okP50Ms),
        okP99Ms: round(during.okP99Ms),
        p99Ms: round(during.p99Ms),
        maxMs: round(during.maxMs),
      },
    };
    log(
      `  overload ${variant}: capacity ${result.capacityOkPerSec} OK/s, flood goodput ${result.floodGoodputOkPerSec} OK/s,` +
        ` shed ${result.shed}, peak RSS ${result.peakRssMb} MB, second client ${result.secondClient.okPct}% OK ${JSON.stringify(result.secondClient.codes)} p99 ${result.secondClient.p99Ms} ms`,
    );
    return result;
  } finally {
    await second?.stop().catch(() => {});
    await server.stop();
  }
}

/** What a server looks like from outside right now, and whether it still answers a call. */
async function look(server) {
  const call = await callOnce(server.address, { deadlineMs: config.deadlineMs });
  return { fds: openFds(server.pid), rssMb: round(memory(server.pid).rssMb), call: { code: codeName(call.code), ms: round(call.ms) } };
}

/** (e) `slowlorisConnections` connections sending 16 bytes of the preface, then nothing. */
export async function slowlorisAttack(variant) {
  const spec = ATTACK_SERVERS[variant];
  const server = await start(`greeter ${variant}`, spec);
  let attack;
  try {
    await callOnce(server.address, { deadlineMs: 5000 });
    const before = await look(server);
    const startedAt = now();
    attack = await slowloris(server.host, server.port, { count: config.slowlorisConnections });
    const openedMs = Math.round(now() - startedAt);
    const checks = [];
    for (const s of config.attackChecksS) {
      await hold(startedAt + s * 1000 - now());
      checks.push({ atS: s, stillOpen: attack.open(), ...(await look(server)) });
    }
    attack.destroy();
    const fdsAfter = await fdsSettle(server.pid, before.fds, 10_000);
    const after = { ...(await look(server)), fds: fdsAfter };
    const result = { label: spec.label, connections: config.slowlorisConnections, openedMs, before, checks, after };
    log(
      `  slowloris ${variant}: ${checks.map((c) => `${c.stillOpen} open at ${c.atS} s (fds ${c.fds}, RSS ${c.rssMb} MB, call ${c.call.code})`).join(', ')};` +
        ` fds ${before.fds} → ${after.fds}, RSS ${before.rssMb} → ${after.rssMb} MB after closing`,
    );
    return result;
  } finally {
    attack?.destroy();
    await server.stop();
  }
}

/** (e) `rapidResetConnections` connections flooding open-and-reset streams until cut off, then dropped. */
export async function rapidResetAttack(variant) {
  const spec = ATTACK_SERVERS[variant];
  const server = await start(`greeter ${variant}`, spec);
  try {
    await callOnce(server.address, { deadlineMs: 5000 });
    const before = await look(server);
    const attack = await rapidReset(server.host, server.port, { connections: config.rapidResetConnections });
    const endedAt = now();
    const checks = [];
    for (const s of config.attackChecksS) {
      await hold(endedAt + s * 1000 - now());
      const seen = await look(server);
      checks.push({ atS: s, heldFds: seen.fds - before.fds, ...seen });
    }
    const result = { label: spec.label, ...attack, before, checks };
    log(
      `  rapid reset ${variant}: ${attack.goaway}/${attack.connections} cut off (GOAWAY) after ${attack.streams} streams;` +
        ` ${checks.map((c) => `+${c.heldFds} fds at ${c.atS} s (RSS ${c.rssMb} MB)`).join(', ')}`,
    );
    return result;
  } finally {
    await server.stop();
  }
}

/** The callers' retry settings of the retry-under-shedding case (a grpc-js service config each). */
export const RETRY_VARIANTS = {
  'no-shed': { label: 'shedding off (KRPC_MAX_EVENT_LOOP_LAG_MS=0, the default), no retry', serviceConfig: undefined, lagMs: 0 },
  'no-retry': { label: 'shedding on, no retry', serviceConfig: undefined },
  retry: {
    label:
      'shedding on, retry RESOURCE_EXHAUSTED (3 attempts, pushback honoured) with retryThrottling 100 / 0.1 (the framework client default)',
    serviceConfig: {
      methodConfig: [
        {
          name: [{ service: 'helloworld.Greeter' }],
          retryPolicy: {
            maxAttempts: 3,
            initialBackoff: '0.05s',
            maxBackoff: '1s',
            backoffMultiplier: 2,
            retryableStatusCodes: ['RESOURCE_EXHAUSTED'],
          },
        },
      ],
      retryThrottling: { maxTokens: 100, tokenRatio: 0.1 },
    },
  },
  'retry-unthrottled': {
    label: 'shedding on, retry RESOURCE_EXHAUSTED (5 attempts, pushback honoured), no retry budget',
    serviceConfig: {
      methodConfig: [
        {
          name: [{ service: 'helloworld.Greeter' }],
          retryPolicy: {
            maxAttempts: 5,
            initialBackoff: '0.05s',
            maxBackoff: '1s',
            backoffMultiplier: 2,
            retryableStatusCodes: ['RESOURCE_EXHAUSTED'],
          },
        },
      ],
    },
  },
};

/**
 * (d') Retrying RESOURCE_EXHAUSTED under moderate overload: one framework greeter whose handler holds
 * the CPU `retryBusyMs` per call, event-loop shedding on (`KRPC_MAX_EVENT_LOOP_LAG_MS`), offered
 * `retryOverload` × its capacity (measured just before, h2load 8 × 25) by `retryCallers` grpc-js
 * callers (1 s deadline), with and without retries. What the server answered OK per second, and what the callers saw.
 */
export async function retryUnderShedding(variant) {
  const spec = RETRY_VARIANTS[variant];
  const server = await startServer({
    kind: 'krpc',
    app: APPS.faultGreeter,
    name: `greeter retry ${variant}`,
    fault: { busyMs: config.retryBusyMs },
    env: { KRPC_MAX_EVENT_LOOP_LAG_MS: String(spec.lagMs ?? config.retryLagMs), ...config.serverEnv },
  });
  let callers;
  try {
    await callOnce(server.address, { deadlineMs: 5000 });
    // the offered load is a multiple of what the server answers right now (the machine is shared)
    const c0 = await answers(server);
    const capacityRun = await h2load(server.host, server.port, { connections: 8, streams: 25, seconds: config.retryCapacityS });
    const capacity = goodput(capacityRun, c0, await answers(server)) ?? 0;
    const rate = Math.max(50, Math.round(capacity * config.retryOverload));
    callers = await startLoadProcess({
      target: server.address,
      callers: config.retryCallers,
      rate,
      deadlineMs: config.deadlineMs,
      idPrefix: `retry-${variant}`,
      channelOptions: spec.serviceConfig ? { 'grpc.service_config': JSON.stringify(spec.serviceConfig) } : {},
      warmUp: {},
    });
    const a0 = await answers(server);
    const from = now();
    await hold(config.retryS * 1000);
    const to = now();
    const a1 = await answers(server);
    const records = await callers.stop();
    callers = undefined;
    const seen = summarize(records, from, to);
    const seconds = (to - from) / 1000;
    const result = {
      label: spec.label,
      capacityOkPerSec: round(capacity, 0),
      offeredPerSec: rate,
      callsPerSec: round(seen.calls / seconds, 0),
      okPerSec: round((seen.calls - seen.failed) / seconds, 0),
      failedPct: round(seen.failedPct),
      codes: seen.codes,
      okP50Ms: round(seen.okP50Ms),
      okP99Ms: round(seen.okP99Ms),
      serverOkPerSec: round((a1.ok - a0.ok) / seconds, 0),
      serverAttemptsPerSec: round((a1.all - a0.all) / seconds, 0),
      shedPerSec: round((a1.shed - a0.shed) / seconds, 0),
      details: Object.fromEntries(
        Object.entries(records.details)
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4),
      ),
    };
    log(
      `  retry ${variant}: capacity ${result.capacityOkPerSec} OK/s, offered ${rate}/s; callers ${result.okPerSec} OK/s of ${result.callsPerSec} calls/s (${result.failedPct}% failed ${JSON.stringify(result.codes)}),` +
        ` server ${result.serverAttemptsPerSec} attempts/s, ${result.shedPerSec} shed/s, OK p99 ${result.okP99Ms} ms`,
    );
    return result;
  } finally {
    await callers?.stop().catch(() => {});
    await server.stop();
  }
}
