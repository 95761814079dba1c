// The autoscaling bench of issue 20 (`npm run bench:autoscale`, after the build): the scale loop
// (test/support/autoscale) with Kubernetes' own 15 s HPA sync period and the generated HPA, over
// steady → ×4 → steady load, then the scaling signals under a CPU-bound handler (one pod):
// in-flight per pod against event-loop utilization. Writes bench/results/autoscale-<date>.json
// and docs/images/autoscale.{svg,png}.
//
//   npm run bench:autoscale                 ≈ 8 min on this machine
//   npm run bench:autoscale -- --only loop  (or signals)
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { callsOf, latency, summarizeScaleLoop, timeSeries } from '../../test/support/autoscale/analyze-scale-loop.mjs';
import { runScaleLoop } from '../../test/support/autoscale/scale-loop.mjs';
import { killAllChildren, ROOT } from '../../test/support/fault-cluster/index.mjs';
import { scaleLoopSvg, writePlot } from './plot.mjs';

const log = (...parts) => process.stdout.write(`${parts.join(' ')}\n`);
const only = (() => {
  const i = process.argv.indexOf('--only');
  return i > 0 ? process.argv[i + 1]?.split(',') : undefined;
})();
const env = (name, fallback) => Number(process.env[name] ?? fallback);

/** The generated defaults, but a 60 s scale-down window instead of 300 s so that a run shows the way down in minutes. */
const DEPLOY = {
  image: 'registry.example/greeter:1.0.0',
  name: 'greeter',
  replicas: { min: 1, max: 8 },
  autoscaling: { inFlightTarget: 10, scaleDownStabilizationSeconds: env('AUTOSCALE_BENCH_SCALE_DOWN_S', 60) },
};

const date = new Date().toISOString();
const results = { date, node: process.version, machine: { cpus: cpus().length, loadavgStart: loadavg() }, scenarios: {} };

async function loop() {
  const base = env('AUTOSCALE_BENCH_BASE_RATE', 40);
  const phases = [
    { name: 'steady', seconds: env('AUTOSCALE_BENCH_STEADY_S', 45), rate: base },
    { name: 'step up ×4', seconds: env('AUTOSCALE_BENCH_HIGH_S', 150), rate: base * 4 },
    { name: 'step down', seconds: env('AUTOSCALE_BENCH_LOW_S', 180), rate: base },
  ];
  const run = await runScaleLoop({ phases, deploy: DEPLOY, syncPeriodMs: env('AUTOSCALE_BENCH_SYNC_MS', 15_000), log: (l) => log(' ', l) });
  const summary = summarizeScaleLoop(run);
  const calls = callsOf(run);
  const series = timeSeries(run, calls, 2000);
  const meta = {
    title: `scale loop: ${base} → ${base * 4} → ${base} calls/s, 200 ms calls on 16 slots per pod, HPA target 10 in flight, sync 15 s`,
    target: summary.target,
    phases: run.phases.map((p) => ({ name: p.name, start: (p.start - run.startedAt) / 1000, end: (p.end - run.startedAt) / 1000 })),
  };
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  const png = writePlot(
    scaleLoopSvg(series, meta),
    join(ROOT, 'docs', 'images', 'autoscale.svg'),
    join(ROOT, 'docs', 'images', 'autoscale.png'),
  );
  log(JSON.stringify({ ...summary, newPods: summary.newPods.map(({ readyAt: _, ...p }) => p) }, null, 1));
  log(png ? '  plot: docs/images/autoscale.png' : '  plot: docs/images/autoscale.svg (no Chromium for the PNG)');
  return { phases, deploy: DEPLOY, summary, meta, series, hpaHistory: run.hpaHistory, generated: run.generated };
}

/** One pod (min = max = 1): in-flight and ELU as the load on a CPU-bound handler rises past what the pod can do. */
async function signals() {
  const busyMs = env('AUTOSCALE_BENCH_BUSY_MS', 4);
  const phases = [
    { name: 'light', seconds: 30, rate: 50 },
    { name: 'saturating', seconds: 30, rate: 200 },
    { name: 'overloaded', seconds: 30, rate: 400 },
  ];
  const run = await runScaleLoop({
    phases,
    fault: { busyMs },
    deploy: { ...DEPLOY, replicas: { min: 1, max: 1 } },
    syncPeriodMs: 15_000,
    log: (l) => log(' ', l),
  });
  const calls = callsOf(run);
  const perPhase = run.phases.map((p) => {
    const window = run.samples.filter((s) => s.t >= p.start + 10_000 && s.t < p.end);
    const mean = (f) =>
      window
        .map(f)
        .filter((v) => typeof v === 'number')
        .reduce((a, v, _, all) => a + v / all.length, 0);
    return {
      phase: p.name,
      rate: p.rate,
      inFlight: mean((s) => Object.values(s.inFlight)[0]),
      elu: mean((s) => Object.values(s.elu)[0]),
      ...latency(calls, p.start + 10_000, p.end),
    };
  });
  for (const p of perPhase) {
    log(
      `  ${p.phase} ${p.rate}/s: in-flight ${p.inFlight.toFixed(2)}, ELU ${p.elu.toFixed(2)}, p99 ${p.p99?.toFixed(0)} ms, failed ${p.failed}`,
    );
  }
  return { busyMs, perPhase };
}

const scenarios = { loop, signals };
try {
  for (const [name, fn] of Object.entries(scenarios)) {
    if (only && !only.includes(name)) continue;
    log(
      `${name} (load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(', ')})`,
    );
    try {
      results.scenarios[name] = await fn();
    } catch (error) {
      log(`  failed: ${error.stack ?? error}`);
      results.scenarios[name] = { error: String(error.message ?? error) };
    }
  }
} finally {
  killAllChildren();
}
results.machine.loadavgEnd = loadavg();
const file = join(ROOT, 'bench', 'results', `autoscale-${date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
log(`results: ${relative(ROOT, file)}`);
