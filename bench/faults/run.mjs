// The fault bench of issue 16 (`npm run bench:faults`, after the build): every scenario for the
// framework's relay with its defaults (samples/relay), with the previous client defaults (set
// through KRPC_CLIENTS), variants (keepalive 'fast' on a static target), and a bare grpc-js relay, then the
// single-server cases for the framework's greeter and a bare one.
// Prints each figure as it comes, writes bench/results/faults-<date>.json and regenerates the
// tables between the markers in docs/reliability.md.
//
//   npm run bench:faults                      the windows (≈ 17 min on this machine)
//   npm run bench:faults -- --quick           shorter windows, same table (≈ 6 min)
//   npm run bench:faults -- --only freeze,kill --no-docs
//   node bench/faults/run.mjs --render a.json,b.json   regenerate the docs' tables from saved results
//                                                       (scenarios merged, later files win), running nothing
// Every duration and size: bench/faults/config.mjs (FAULT_BENCH_… variables).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { H2LOAD, killAllChildren, ROOT } from '../../test/support/fault-cluster/index.mjs';
import { config } from './config.mjs';
import { failing, freeze, kill, RELAYS } from './relay-scenarios.mjs';
import { renderTables, writeDocsSection } from './report.mjs';
import {
  ATTACK_SERVERS,
  OVERLOAD_SERVERS,
  overload,
  RETRY_VARIANTS,
  rapidResetAttack,
  retryUnderShedding,
  slowlorisAttack,
} from './server-scenarios.mjs';

const log = (...parts) => process.stdout.write(`${parts.join(' ')}\n`);
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const commit = (() => {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'samples'], { cwd: ROOT }).toString().trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
})();

const renderArg = process.argv.indexOf('--render');
if (renderArg > 0) {
  const files = (process.argv[renderArg + 1] ?? '').split(',').filter(Boolean);
  const saved = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  if (saved.length === 0) throw new Error('--render needs a comma-separated list of bench/results/faults-*.json files');
  const merged = {
    ...saved[0],
    config: Object.assign({}, ...saved.map((r) => r.config)),
    scenarios: Object.assign({}, ...saved.map((r) => r.scenarios)),
  };
  merged.file = files.map((f) => relative(ROOT, join(process.cwd(), f))).join('`, `');
  const markdown = renderTables(merged, { RELAYS, OVERLOAD_SERVERS, ATTACK_SERVERS, RETRY_VARIANTS });
  writeDocsSection(join(ROOT, 'docs', 'reliability.md'), markdown);
  log(`docs/reliability.md: tables regenerated from ${files.join(', ')}`);
  process.exit(0);
}

const date = new Date().toISOString();
const file = join(ROOT, 'bench', 'results', `faults-${date.replace(/[:.]/g, '-')}.json`);
const results = {
  date,
  commit,
  file: relative(ROOT, file),
  node: process.version,
  machine: { cpus: cpus().length, loadavgStart: load(), loadavgEnd: [] },
  config,
  scenarios: {},
};

const relaysFor = (candidates) => candidates.filter((r) => !config.relays || config.relays.includes(r));

async function record(scenario, variant, fn) {
  const startedAt = performance.now();
  log(`${scenario} · ${variant} (load average ${load().join(', ')})`);
  results.scenarios[scenario] ??= {};
  try {
    results.scenarios[scenario][variant] = await fn();
  } catch (error) {
    log(`  failed: ${error.stack ?? error}`);
    results.scenarios[scenario][variant] = { error: String(error.message ?? error) };
  }
  log(`  (${((performance.now() - startedAt) / 1000).toFixed(0)} s)`);
}

const want = (scenario) => config.only.includes(scenario);
const variantsOf = (servers) => Object.keys(servers).filter((v) => !config.variants || config.variants.includes(v));

try {
  if (want('freeze'))
    for (const r of relaysFor(['krpc-before', 'krpc', 'krpc-fast-keepalive', 'bare'])) await record('freeze', r, () => freeze(r));
  if (want('freeze-k8s'))
    for (const r of relaysFor(['krpc-before', 'krpc', 'bare'])) await record('freeze-k8s', r, () => freeze(r, { kubernetes: true }));
  if (want('kill')) for (const r of relaysFor(['krpc-before', 'krpc', 'bare'])) await record('kill', r, () => kill(r));
  if (want('failing')) {
    for (const code of config.failCodes) {
      for (const r of relaysFor(['krpc-before', 'krpc', 'bare'])) await record(`failing-${code}`, r, () => failing(r, code));
    }
  }
  if (want('overload')) {
    if (!H2LOAD) log('overload: h2load not found (Debian package nghttp2-client); skipped');
    else for (const v of variantsOf(OVERLOAD_SERVERS)) await record('overload', v, () => overload(v));
  }
  if (want('retry-shed')) {
    // rounds interleaved, so that a neighbour's load on this shared machine falls on every variant alike
    for (let round = 1; round <= config.retryRounds; round++) {
      for (const v of Object.keys(RETRY_VARIANTS)) await record('retry-shed', `${v}#${round}`, () => retryUnderShedding(v));
    }
  }
  if (want('slowloris')) for (const v of variantsOf(ATTACK_SERVERS)) await record('slowloris', v, () => slowlorisAttack(v));
  if (want('rapid-reset')) for (const v of variantsOf(ATTACK_SERVERS)) await record('rapid-reset', v, () => rapidResetAttack(v));
} finally {
  killAllChildren();
}

results.machine.loadavgEnd = load();
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
const markdown = renderTables(results, { RELAYS, OVERLOAD_SERVERS, ATTACK_SERVERS, RETRY_VARIANTS });
log(`\n${markdown}\n`);
log(`results: ${relative(ROOT, file)}`);
if (config.docs) {
  writeDocsSection(join(ROOT, 'docs', 'reliability.md'), markdown);
  log('docs/reliability.md: tables regenerated');
}
process.exit(0);
