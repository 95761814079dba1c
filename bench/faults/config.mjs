// The fault bench's settings: every duration and size from the environment (FAULT_BENCH_…),
// with the windows by default and a quick preset (FAULT_BENCH_QUICK=1 or --quick)
// that runs the whole table in a few minutes.
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return args[i].includes('=') ? args[i].slice(args[i].indexOf('=') + 1) : args[i + 1];
};

const quick = flag('quick') || process.env.FAULT_BENCH_QUICK === '1';
const num = (name, full, short) => {
  const value = process.env[`FAULT_BENCH_${name}`];
  return value !== undefined && value !== '' ? Number(value) : quick ? short : full;
};
const list = (value) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Scenarios in the order they run. */
export const SCENARIOS = ['freeze', 'freeze-k8s', 'kill', 'failing', 'overload', 'retry-shed', 'slowloris', 'rapid-reset'];

export const config = Object.freeze({
  quick,
  /** Scenarios to run (--only a,b or FAULT_BENCH_ONLY). */
  only: list(option('only') ?? process.env.FAULT_BENCH_ONLY) ?? SCENARIOS,
  /** Variants of the single-server scenarios to run (FAULT_BENCH_VARIANTS: krpc-fast,bare-slow,krpc,…; default all). */
  variants: list(process.env.FAULT_BENCH_VARIANTS),
  /** Extra environment of the framework's servers in the single-server scenarios (FAULT_BENCH_SERVER_ENV, JSON), e.g. `{"KRPC_MAX_EVENT_LOOP_LAG_MS":"0"}`. */
  serverEnv: JSON.parse(process.env.FAULT_BENCH_SERVER_ENV || '{}'),
  /** Relays behind which the replica scenarios run (FAULT_BENCH_RELAYS: krpc,krpc-least-request,krpc-retry,bare). */
  relays: list(process.env.FAULT_BENCH_RELAYS),
  replicas: num('REPLICAS', 3, 3),
  callers: num('CALLERS', 8, 8),
  deadlineMs: num('DEADLINE_MS', 1000, 1000),
  /** Calls/s of all callers together (0: as fast as they are answered). */
  rate: num('RATE', 1000, 1000),
  /** Seconds of load before the fault, of the fault, and after it ends. */
  beforeS: num('BEFORE_S', 5, 3),
  faultS: num('FAULT_S', 15, 6),
  afterS: num('AFTER_S', 10, 5),
  /** Service time of the healthy replicas while one fails (ms). */
  healthyDelayMs: num('HEALTHY_DELAY_MS', 20, 20),
  /** Codes the failing replica answers with, one run each. */
  failCodes: list(process.env.FAULT_BENCH_FAIL_CODES) ?? ['RESOURCE_EXHAUSTED', 'UNAVAILABLE'],
  /** How long after a replica dies its endpoint leaves the EndpointSlice (ms). */
  exitNoticeMs: num('EXIT_NOTICE_MS', 1000, 1000),
  /** The unflooded capacity run and the flood (s), the in-flight limit, the handler's service time. */
  capacityS: num('CAPACITY_S', 10, 4),
  floodS: num('FLOOD_S', 15, 6),
  floodConnections: num('FLOOD_CONNECTIONS', 100, 100),
  floodStreams: num('FLOOD_STREAMS', 100, 100),
  maxInFlight: num('MAX_IN_FLIGHT', 200, 200),
  slowDelayMs: num('SLOW_DELAY_MS', 20, 20),
  /** Calls/s of the well-behaved second client during the flood. */
  secondClientRate: num('SECOND_CLIENT_RATE', 20, 20),
  /** Retrying RESOURCE_EXHAUSTED under moderate overload: CPU per call (ms), the lag threshold, the capacity run (s), offered load (× capacity), callers, seconds, rounds. */
  retryBusyMs: num('RETRY_BUSY_MS', 2, 2),
  retryLagMs: num('RETRY_LAG_MS', 20, 20),
  retryCapacityS: num('RETRY_CAPACITY_S', 4, 3),
  retryOverload: num('RETRY_OVERLOAD', 1.5, 1.5),
  retryCallers: num('RETRY_CALLERS', 200, 200),
  retryS: num('RETRY_S', 15, 8),
  retryRounds: num('RETRY_ROUNDS', 2, 1),
  slowlorisConnections: num('SLOWLORIS_CONNECTIONS', 2000, 2000),
  rapidResetConnections: num('RAPID_RESET_CONNECTIONS', 20, 20),
  /** When the attacks are looked at, s after they start (slowloris) or end (rapid reset). */
  attackChecksS: (list(process.env.FAULT_BENCH_ATTACK_CHECKS_S) ?? (quick ? ['10'] : ['10', '30'])).map(Number),
  /** Write docs/reliability.md's table (off with --no-docs or FAULT_BENCH_DOCS=0). */
  docs: !flag('no-docs') && process.env.FAULT_BENCH_DOCS !== '0',
});
