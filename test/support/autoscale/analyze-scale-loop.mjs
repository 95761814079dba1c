// The figures of a scale-loop run (scale-loop.mjs): what the test asserts and the bench plots.

const quantile = (sorted, q) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

/** Every call of every phase's load, as rows `{ start, end, ms, code, replica }` (replica id or null). */
export function callsOf(run) {
  const calls = [];
  for (const records of run.records) {
    for (let i = 0; i < records.start.length; i++) {
      const r = records.replica[i];
      calls.push({
        start: records.start[i],
        end: records.end[i],
        ms: records.end[i] - records.start[i],
        code: records.code[i],
        replica: r >= 0 ? records.replicas[r] : null,
      });
    }
  }
  return calls.sort((a, b) => a.start - b.start);
}

/** p50/p99/failed of the calls started in [from, to). */
export function latency(calls, from, to) {
  const window = calls.filter((c) => c.start >= from && c.start < to);
  const ok = window
    .filter((c) => c.code === 0)
    .map((c) => c.ms)
    .sort((a, b) => a - b);
  return { calls: window.length, failed: window.length - ok.length, p50: quantile(ok, 0.5), p99: quantile(ok, 0.99) };
}

/** The replica-count changes (spec.replicas) the HPA made, `{ t, from, to }`. */
export function scaleChanges(run) {
  return run.events.filter((e) => e.event === 'scale').map((e) => ({ t: e.t, from: e.from, to: e.replicas }));
}

/** How often the direction of scaling flipped among `changes` (up then down, or down then up). */
export function reversals(changes) {
  let count = 0;
  let last = 0;
  for (const c of changes) {
    const dir = Math.sign(c.to - c.from);
    if (dir !== 0 && last !== 0 && dir !== last) count++;
    if (dir !== 0) last = dir;
  }
  return count;
}

/**
 * For each pod that turned ready during the run: when its first call was sent and answered after
 * it was published ready, and its share of the calls answered in the first second and in the second
 * second after that, against a fair share (1 / the pods answering then).
 */
export function newPodShares(run, calls) {
  const out = [];
  for (const e of run.events.filter((x) => x.event === 'pod-ready')) {
    const readyAt = run.events.find((x) => x.event === 'ready' && x.replica === e.replica)?.t ?? e.t;
    const answered = calls.filter((c) => c.code === 0 && c.end >= readyAt);
    const first = answered.find((c) => c.replica === e.replica);
    const share = (from, to) => {
      const window = answered.filter((c) => c.end >= readyAt + from && c.end < readyAt + to);
      const mine = window.filter((c) => c.replica === e.replica).length;
      return { share: window.length ? mine / window.length : null, pods: new Set(window.map((c) => c.replica)).size || 1 };
    };
    const firstSecond = share(0, 1000);
    const nextSecond = share(1000, 2000);
    out.push({
      replica: e.replica,
      readyAt,
      // sent: when the load generator started the first call this pod answered (the relay picked it then or just after)
      firstCallSentMs: first ? Math.max(0, first.start - readyAt) : null,
      firstCallAnsweredMs: first ? first.end - readyAt : null,
      shareInFirstSecond: firstSecond.share,
      shareInSecondSecond: nextSecond.share,
      fairShare: 1 / nextSecond.pods,
    });
  }
  return out;
}

/** Per `stepMs` bin: offered rate, answered/s, p99, spec and ready replicas, mean and max per-pod in-flight. */
export function timeSeries(run, calls, stepMs = 2000) {
  const t0 = run.startedAt;
  const bins = Math.ceil((run.endedAt - t0) / stepMs);
  const series = [];
  for (let b = 0; b < bins; b++) {
    const from = t0 + b * stepMs;
    const to = from + stepMs;
    const phase = run.phases.find((p) => from >= p.start - 1 && from < p.end) ?? run.phases.at(-1);
    const { p99, calls: n, failed } = latency(calls, from, to);
    const samples = run.samples.filter((s) => s.t >= from && s.t < to);
    const last = samples.at(-1) ?? run.samples.filter((s) => s.t < from).at(-1);
    const podValues = samples.flatMap((s) => Object.values(s.inFlight));
    series.push({
      t: (from - t0) / 1000,
      offered: phase.rate,
      answered: (n - failed) / (stepMs / 1000),
      failed,
      p99,
      specReplicas: last?.specReplicas ?? null,
      readyReplicas: last?.readyReplicas ?? null,
      inFlightPerPod: podValues.length ? podValues.reduce((a, v) => a + v, 0) / podValues.length : null,
      inFlightMax: podValues.length ? Math.max(...podValues) : null,
      eluPerPod: (() => {
        const v = samples.flatMap((s) => Object.values(s.elu));
        return v.length ? v.reduce((a, x) => a + x, 0) / v.length : null;
      })(),
    });
  }
  return series;
}

/**
 * The run's summary: for a profile steady → high → … → low, the size the algorithm should pick
 * for the high phase (the in-flight total the pods held at its end / target, and the lowest count
 * the 0.1 tolerance lets stand; Little's law from the client's latency for comparison), when the spec reached them, reversals, new pods'
 * shares, failures and p99 per phase.
 */
export function summarizeScaleLoop(run) {
  const calls = callsOf(run);
  const target = Number(run.generated.hpa.spec.metrics[0].pods.target.averageValue);
  const [base, high] = run.phases;
  const baseLatency = latency(calls, base.start + 5000, base.end);
  // what the pods hold at the high phase's end, summed (Prometheus' instant gauge): the total the HPA divides
  const tail = run.samples.filter((x) => x.t >= high.end - 20_000 && x.t < high.end);
  const offeredInFlight = tail.reduce((sum, x) => sum + Object.values(x.inFlight).reduce((a, v) => a + v, 0), 0) / Math.max(1, tail.length);
  const littlesLaw = high.rate * (baseLatency.p50 / 1000);
  const expected = Math.min(run.generated.hpa.spec.maxReplicas, Math.ceil(offeredInFlight / target));
  // the 0.1 tolerance leaves a dead band: a count whose per-pod average is within 10% of the target stays
  const lowest = Math.max(1, Math.ceil(offeredInFlight / (target * 1.1)));
  const changes = scaleChanges(run);
  const reached = run.samples.find((s) => s.t >= high.start && s.specReplicas >= expected);
  const reachedLowest = run.samples.find((s) => s.t >= high.start && s.specReplicas >= lowest);
  const readyReached = run.samples.find((s) => s.t >= high.start && s.readyReplicas >= lowest);
  const phases = run.phases.map((p) => ({
    name: p.name,
    rate: p.rate,
    ...latency(calls, p.start, p.end),
    last10s: latency(calls, p.end - 10_000, p.end),
    changes: changes
      .filter((c) => c.t >= p.start && c.t < p.end)
      .map((c) => `${c.from}→${c.to} at +${((c.t - p.start) / 1000).toFixed(1)} s`),
    reversals: reversals(changes.filter((c) => c.t >= p.start && c.t < p.end)),
    replicasAtEnd: run.samples.filter((s) => s.t < p.end).at(-1)?.specReplicas,
  }));
  return {
    target,
    offeredInFlight,
    littlesLawInFlight: littlesLaw,
    expectedHighReplicas: expected,
    lowestHighReplicas: lowest,
    specReachedExpectedAfterS: reached ? (reached.t - high.start) / 1000 : null,
    specReachedLowestAfterS: reachedLowest ? (reachedLowest.t - high.start) / 1000 : null,
    readyReachedLowestAfterS: readyReached ? (readyReached.t - high.start) / 1000 : null,
    maxReplicas: Math.max(...run.samples.map((s) => s.specReplicas)),
    reversals: reversals(changes),
    changes: changes.map((c) => `${c.from}→${c.to} at ${((c.t - run.startedAt) / 1000).toFixed(1)} s`),
    phases,
    newPods: newPodShares(run, calls),
    calls: calls.length,
    failed: calls.filter((c) => c.code !== 0).length,
    terminated: run.events.filter((e) => e.event === 'pod-exited').length,
    queries: run.queries,
  };
}
