// The fault harness of issue 16, shared by bench/faults and the fault tests in test/reliability.
// Plain ES modules with JSDoc types, because both import it: vitest would run TypeScript, but
// the bench scripts run on Node 20, which has no type stripping, and a harness compiled for one
// of them would be two harnesses. It drives only what users run — `krpc-app start`, the samples,
// KRPC_… variables — and the wire, so it measures whatever src/ becomes.
//
// startFaultCluster: N greeter replicas on 127.0.0.x, published on a fake API server, with faults
// startRelay / startServer: the relay in front of them (samples/relay, a variant, the bare one)
// startLoad / startLoadProcess: callers with deadlines, every call recorded
// summarize, callSeries, sendTimesByReplica, …: the figures
// h2load, slowloris, rapidReset, openFds, memory: hostile clients and /proc readings
export {
  binCounts,
  callSeries,
  codeName,
  firstAfter,
  lastIn,
  sendTimesByReplica,
  settlesBelow,
  shareSeries,
  summarize,
} from './analyze.mjs';
export {
  continuationFlood,
  fdsSettle,
  H2LOAD,
  h2load,
  memory,
  metricSum,
  openFds,
  rapidReset,
  sampleRss,
  slowloris,
  unreadStreams,
} from './attacks.mjs';
export { KRPC_APP, killAllChildren, ROOT, spawnNode, track } from './children.mjs';
export { FaultCluster, MANIFEST_READINESS_PROBE, startFaultCluster } from './cluster.mjs';
export { EndpointSlicePublisher, probeReadyz, ReadinessProber } from './endpoints.mjs';
export { loadFakeKubeApi, startFakeKubeApi } from './fake-kube-api.mjs';
export { callOnce, startLoad, startLoadProcess } from './load.mjs';
export { startRelay } from './relay.mjs';
export { APPS, BARE, Server, startServer } from './servers.mjs';
export { hold, now, waitFor, withTimeout } from './wait.mjs';
