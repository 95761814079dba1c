// The scale loop of issue 20, every part that can be real being real: replicas as `krpc-app
// start` processes on 127.0.0.x, published on the fake API server as the EndpointSlice controller
// would; a real Prometheus scraping each of them; the HPA algorithm reading the generated HPA and
// querying Prometheus with the generated prometheus-adapter rule; samples/relay in front with a
// `kubernetes:///` target; a paced load generator following a scripted profile.
import { startFaultCluster } from '../fault-cluster/cluster.mjs';
import { startFakeKubeApi } from '../fault-cluster/fake-kube-api.mjs';
import { startLoadProcess } from '../fault-cluster/load.mjs';
import { startRelay } from '../fault-cluster/relay.mjs';
import { hold, now } from '../fault-cluster/wait.mjs';
import { HpaController } from './hpa-controller.mjs';
import { AUTOSCALE_APP, adapterQuery, generatedAutoscaling } from './manifests.mjs';
import { startPrometheus } from './prometheus.mjs';
import { SimulatedDeployment } from './simulated-deployment.mjs';

/**
 * @typedef {object} Phase
 * @property {string} name
 * @property {number} seconds
 * @property {number} rate  offered calls/s during the phase
 */

/**
 * @typedef {object} ScaleLoopOptions
 * @property {Phase[]} phases  the load profile
 * @property {object} [fault]  the replicas' handler (default: 200 ms on one of 16 slots)
 * @property {object} [deploy]  replaces the fixture's deploy section (KRPC_DEPLOY)
 * @property {number} [syncPeriodMs]  HPA sync period (default 15 000, Kubernetes' own)
 * @property {number} [scrapeIntervalS]  default 1
 * @property {number} [sampleMs]  how often the figures are sampled (default 1000)
 * @property {number} [callersPerRate]  load callers per call/s of a phase's rate (default 0.5)
 * @property {number} [deadlineMs]  per call (default 5000)
 * @property {(line: string) => void} [log]
 */

/** The default handler: an I/O-bound call holding one of 16 slots (a pool) for 200 ms. */
export const POOL_HANDLER = Object.freeze({ delayMs: 200, concurrency: 16 });

/**
 * Runs the profile through the loop and returns everything recorded.
 * @param {ScaleLoopOptions} options
 */
export async function runScaleLoop(options) {
  const { phases, fault = POOL_HANDLER, syncPeriodMs = 15_000, scrapeIntervalS = 1, sampleMs = 1000, deadlineMs = 5000 } = options;
  const log = options.log ?? (() => {});
  const generated = await generatedAutoscaling({ app: AUTOSCALE_APP, deploy: options.deploy });
  const { hpa, namespace, name, adapterRule } = generated;
  const closers = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch(() => {});
  };
  try {
    const kubeApi = await startFakeKubeApi();
    closers.push(() => kubeApi.close());
    const prometheus = await startPrometheus({ scrapeIntervalS });
    closers.push(() => prometheus.close());
    // the pods run with the Deployment's drain settings; ports and addresses are the harness's
    const { KRPC_DRAIN_DELAY_MS, KRPC_SHUTDOWN_TIMEOUT_MS } = generated.env;
    const cluster = await startFaultCluster({
      kubeApi,
      service: name,
      replicas: hpa.spec.minReplicas,
      app: AUTOSCALE_APP,
      fault,
      env: { KRPC_DRAIN_DELAY_MS, KRPC_SHUTDOWN_TIMEOUT_MS },
    });
    closers.push(() => cluster.close());
    const deployment = new SimulatedDeployment(cluster, { name, namespace, graceMs: generated.graceMs, prometheus });
    closers.push(() => deployment.settle());
    const relay = await startRelay({ kind: 'krpc', target: cluster.kubernetesTarget, kubeconfigPath: kubeApi.kubeconfigPath });
    closers.push(() => relay.stop(5000));
    const target = `127.0.0.1:${relay.port}`;

    const queries = [];
    const hpaController = new HpaController({
      hpa,
      syncPeriodMs,
      replicas: () => deployment.specReplicas,
      pods: () => deployment.podInfos(),
      scale: (n) => deployment.scale(n),
      metrics: async (metric, pods) => {
        const promql = adapterQuery(adapterRule, { namespace, pods });
        if (!promql.includes(metric)) throw new Error(`the adapter rule does not serve ${metric}`);
        queries.push(promql);
        const result = await prometheus.query(promql);
        return new Map(result.map((r) => [r.metric.pod, r.value]));
      },
    });

    // a first call through the whole path before the clock starts
    const warm = await startLoadProcess({ target, callers: 1, rate: 5, deadlineMs, idPrefix: 'warm', warmUp: { timeoutMs: 30_000 } });
    await warm.stop();

    const samples = [];
    const sample = async () => {
      const t = now();
      const [inFlight, elu, keda] = await Promise.all([
        prometheus.query('krpc_server_in_flight_requests').catch(() => []),
        prometheus.query('krpc_event_loop_utilization').catch(() => []),
        generated.kedaQuery ? prometheus.query(generated.kedaQuery).catch(() => []) : [],
      ]);
      samples.push({
        t,
        specReplicas: deployment.specReplicas,
        readyReplicas: deployment.readyCount(),
        inFlight: Object.fromEntries(inFlight.map((r) => [r.metric.pod, r.value])),
        elu: Object.fromEntries(elu.map((r) => [r.metric.pod, r.value])),
        // the KEDA trigger's query (a sum; KEDA's HPA divides it by the replicas)
        kedaSum: keda[0]?.value ?? null,
      });
    };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const next = performance.now() + sampleMs;
        await sample();
        await hold(next - performance.now());
      }
    })();

    const startedAt = now();
    hpaController.start();
    const loads = [];
    const phaseTimes = [];
    let current;
    for (const phase of phases) {
      const begin = now();
      phaseTimes.push({ ...phase, start: begin, end: begin + phase.seconds * 1000 });
      log(`phase ${phase.name}: ${phase.rate} calls/s for ${phase.seconds} s (replicas ${deployment.specReplicas})`);
      // each phase's callers start before the previous phase's stop: the offered load steps at once
      const next = await startLoadProcess({
        target,
        rate: phase.rate,
        callers: Math.max(4, Math.ceil(phase.rate * (options.callersPerRate ?? 0.5))),
        deadlineMs,
        idPrefix: `phase${phaseTimes.length}`,
      });
      const previous = current;
      current = next;
      if (previous) loads.push(previous.stop());
      await hold(begin + phase.seconds * 1000 - now());
    }
    loads.push(current.stop());
    const records = await Promise.all(loads);
    const endedAt = now();
    await hpaController.stop();
    sampling = false;
    await sampler;
    await deployment.settle();
    const events = [...cluster.events, ...deployment.events].sort((a, b) => a.t - b.t);
    return {
      startedAt,
      endedAt,
      phases: phaseTimes,
      records,
      samples,
      hpaHistory: hpaController.history,
      events,
      generated: { hpa, adapterRule, kedaQuery: generated.kedaQuery, env: generated.env, graceMs: generated.graceMs },
      queries: [...new Set(queries.map((q) => q.replace(/pod=~"[^"]*"/, 'pod=~"…"')))],
      fault,
      syncPeriodMs,
    };
  } finally {
    await close();
  }
}
