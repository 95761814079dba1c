// Figures from the load generator's records and the replicas' arrivals: pure functions shared
// by bench/faults and the fault tests. Times are wall-clock ms; a call belongs to the window in
// which it started, except goodput, which counts the OK answers that ended in the window.
import grpc from '@grpc/grpc-js';

const NAMES = Object.fromEntries(Object.entries(grpc.status).map(([name, code]) => [code, name]));

/** `DEADLINE_EXCEEDED` for 4. */
export function codeName(code) {
  return NAMES[code] ?? String(code);
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null;
}

/**
 * The calls started in [from, to): how many, failed share, codes, OK/s, latency.
 * @param {import('./load.mjs').LoadRecords} records
 * @param {number} from
 * @param {number} to
 */
export function summarize(records, from, to) {
  let calls = 0;
  let failed = 0;
  let okEnded = 0;
  const codes = {};
  const okLatency = [];
  const allLatency = [];
  for (let i = 0; i < records.start.length; i++) {
    const start = records.start[i];
    const end = records.end[i];
    if (records.code[i] === 0 && end >= from && end < to) okEnded++;
    if (start < from || start >= to) continue;
    calls++;
    const latency = end - start;
    allLatency.push(latency);
    if (records.code[i] === 0) okLatency.push(latency);
    else {
      failed++;
      const name = codeName(records.code[i]);
      codes[name] = (codes[name] ?? 0) + 1;
    }
  }
  okLatency.sort((a, b) => a - b);
  allLatency.sort((a, b) => a - b);
  const seconds = (to - from) / 1000;
  return {
    calls,
    failed,
    failedPct: calls ? (100 * failed) / calls : null,
    codes,
    okPerSec: seconds > 0 ? okEnded / seconds : null,
    okP50Ms: percentile(okLatency, 0.5),
    okP99Ms: percentile(okLatency, 0.99),
    p99Ms: percentile(allLatency, 0.99),
    maxMs: allLatency.at(-1) ?? null,
  };
}

/**
 * Per `stepMs` bin from `t0` to `t1`: calls started, OK, failed, OK answers per replica.
 * @param {import('./load.mjs').LoadRecords} records
 */
export function callSeries(records, t0, t1, stepMs = 1000) {
  const bins = Math.ceil((t1 - t0) / stepMs);
  const started = new Array(bins).fill(0);
  const ok = new Array(bins).fill(0);
  const failed = new Array(bins).fill(0);
  const byReplica = Object.fromEntries(records.replicas.map((r) => [r, new Array(bins).fill(0)]));
  for (let i = 0; i < records.start.length; i++) {
    const bin = Math.floor((records.start[i] - t0) / stepMs);
    if (bin < 0 || bin >= bins) continue;
    started[bin]++;
    if (records.code[i] === 0) {
      ok[bin]++;
      const replica = records.replicas[records.replica[i]];
      if (replica !== undefined) byReplica[replica][bin]++;
    } else failed[bin]++;
  }
  return { stepMs, started, ok, failed, byReplica };
}

/**
 * When each call that reached a replica was sent by its caller: per replica id, the sorted
 * start times of the recorded calls whose x-request-id it accepted (a call retried or hedged
 * onto several replicas counts for each). Ids the records do not know (warm-up) are skipped.
 * @param {Record<string, { ids: string[] }>} arrivals
 * @param {import('./load.mjs').LoadRecords} records
 * @returns {Record<string, number[]>}
 */
export function sendTimesByReplica(arrivals, records) {
  const startOf = new Map();
  for (let i = 0; i < records.id.length; i++) startOf.set(records.id[i], records.start[i]);
  const out = {};
  for (const [replica, { ids }] of Object.entries(arrivals)) {
    const times = [];
    for (const id of ids) {
      const t = startOf.get(id);
      if (t !== undefined) times.push(t);
    }
    out[replica] = times.sort((a, b) => a - b);
  }
  return out;
}

/** Counts of `times` per `stepMs` bin from `t0` to `t1`. */
export function binCounts(times, t0, t1, stepMs = 1000) {
  const bins = new Array(Math.ceil((t1 - t0) / stepMs)).fill(0);
  for (const t of times) {
    const bin = Math.floor((t - t0) / stepMs);
    if (bin >= 0 && bin < bins.length) bins[bin]++;
  }
  return bins;
}

/** Per bin, the share (%) of `part` in `total` (null for an empty bin). */
export function shareSeries(part, total) {
  return part.map((n, i) => (total[i] ? Math.round((1000 * n) / total[i]) / 10 : null));
}

/** The last of the sorted `times` in [from, to), or null. */
export function lastIn(times, from, to) {
  let last = null;
  for (const t of times) if (t >= from && t < to) last = t;
  return last;
}

/** The first of the sorted `times` at or after `from`, or null. */
export function firstAfter(times, from) {
  return times.find((t) => t >= from) ?? null;
}

/**
 * The first bin (from `fromBin` on) after which `values[i]` stays below `limit` until `toBin`
 * (exclusive); null if it never does. Empty bins (null) count as below.
 */
export function settlesBelow(values, limit, fromBin, toBin) {
  let candidate = null;
  for (let i = fromBin; i < Math.min(toBin, values.length); i++) {
    if (values[i] === null || values[i] < limit) candidate ??= i;
    else candidate = null;
  }
  return candidate;
}
