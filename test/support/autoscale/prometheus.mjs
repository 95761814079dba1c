// A real Prometheus (the Debian `prometheus` binary) for the scale loop: it scrapes every replica's
// /metrics through file-based service discovery — the target file rewritten as replicas come
// and go, each target labelled with the `namespace` and `pod` that Kubernetes service discovery
// would give it — and answers PromQL over its HTTP API.
import { spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { track } from '../fault-cluster/children.mjs';
import { waitFor, withTimeout } from '../fault-cluster/wait.mjs';

export const PROMETHEUS = '/usr/bin/prometheus';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Prometheus scraping the targets of {@link PrometheusServer.setTargets} every `scrapeIntervalS`.
 * @param {{ scrapeIntervalS?: number }} [options]
 */
export async function startPrometheus({ scrapeIntervalS = 1 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'krpc-autoscale-prometheus-'));
  const targetsFile = join(dir, 'targets.json');
  writeFileSync(targetsFile, '[]');
  const config = [
    'global:',
    `  scrape_interval: ${scrapeIntervalS}s`,
    `  evaluation_interval: ${scrapeIntervalS}s`,
    'scrape_configs:',
    '  - job_name: krpc-pods',
    `    scrape_timeout: ${Math.max(500, Math.round(scrapeIntervalS * 800))}ms`,
    '    file_sd_configs:',
    `      - files: ['${targetsFile}']`,
    '        refresh_interval: 1s',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const child = track(
    spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, exited, dir, targetsFile);
  try {
    await waitFor(async () => (await fetch(`${server.url}/-/ready`).catch(() => undefined))?.status === 200, {
      what: 'Prometheus to be ready',
      timeoutMs: 60_000,
      intervalMs: 100,
    });
  } catch (error) {
    await server.close();
    throw new Error(`${error.message}; its log:\n${stderr}`);
  }
  return server;
}

export class PrometheusServer {
  constructor(url, child, exited, dir, targetsFile) {
    this.url = url;
    this.child = child;
    this.exited = exited;
    this.dir = dir;
    this.targetsFile = targetsFile;
  }

  /**
   * Rewrites the file_sd target list (atomically: Prometheus watches the file).
   * @param {{ address: string, labels: Record<string, string> }[]} targets  `host:runtimePort` and its labels
   */
  setTargets(targets) {
    const groups = targets.map((t) => ({ targets: [t.address], labels: t.labels }));
    const tmp = `${this.targetsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(groups));
    renameSync(tmp, this.targetsFile);
  }

  /**
   * An instant query: every series' labels and value.
   * @param {string} promql
   * @returns {Promise<{ metric: Record<string, string>, value: number }[]>}
   */
  async query(promql) {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`, { signal: AbortSignal.timeout(5000) });
    const body = await res.json();
    if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error ?? res.status}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** Targets Prometheus scrapes and whether the last scrape worked. */
  async activeTargets() {
    const res = await fetch(`${this.url}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(5000) });
    const body = await res.json();
    return body.data.activeTargets.map((t) => ({ labels: t.labels, health: t.health }));
  }

  async close() {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await withTimeout(this.exited, 10_000, 'Prometheus to exit').catch(() => this.child.kill('SIGKILL'));
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
