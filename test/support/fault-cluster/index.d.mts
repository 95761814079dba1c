// Types of the fault harness for the TypeScript tests that import it (the modules are plain
// JavaScript, see index.mjs). Keep in step with the JSDoc in the modules.
import type { ChildProcess } from 'node:child_process';

export declare const ROOT: string;
export declare const KRPC_APP: string;
export declare const H2LOAD: string | undefined;

export declare function waitFor<T>(
  check: () => T | Promise<T>,
  options: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T>;
export declare function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T>;
export declare function hold(ms: number): Promise<void>;
export declare function now(): number;

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  readonly name: string;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  running(): boolean;
  waitForLog(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  request(message: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
  signal(signal?: NodeJS.Signals): void;
  stop(timeoutMs?: number): Promise<void>;
  output(): string;
}
export declare function spawnNode(
  args: string[],
  options: { name: string; env?: Record<string, string>; probe?: boolean; nodeArgs?: string[] },
): Child;
export declare function track<T extends ChildProcess>(child: T): T;
export declare function killAllChildren(): void;

/** A fault a replica injects: fail every call with a status, or add a service time. */
export interface Fault {
  readonly failCode?: number | string;
  readonly delayMs?: number;
  /** Hold the CPU this long per call. */
  readonly busyMs?: number;
  /** A bounded resource: at most this many calls hold a slot for `delayMs`, the rest queue. */
  readonly concurrency?: number;
}

export interface ServerSpec {
  readonly kind: 'krpc' | 'bare';
  readonly app: string;
  readonly host?: string;
  readonly port?: number;
  readonly name?: string;
  readonly env?: Record<string, string>;
  readonly fault?: Fault;
  readonly recordArrivals?: boolean;
  readonly startTimeoutMs?: number;
}
export interface Arrivals {
  readonly ids: string[];
  readonly times: number[];
  readonly other: number;
}
export interface ProcessStats {
  readonly pid: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly fds: number;
  readonly counters: Record<string, number>;
}
export declare class Server {
  readonly name: string;
  readonly kind: 'krpc' | 'bare';
  readonly app: string;
  readonly host: string;
  readonly port: number;
  readonly runtimePort: number | undefined;
  readonly child: Child;
  readonly pid: number;
  readonly startedAt: number;
  readonly readyAt: number;
  readonly address: string;
  frozen: boolean;
  /** Set by the cluster: `r1`, `r2`, …; `ready` as last published. */
  id?: string;
  ready?: boolean;
  terminating?: boolean;
  zone?: string;
  forZones?: string[];
  running(): boolean;
  setFault(fault: Fault): Promise<void>;
  stats(): Promise<ProcessStats>;
  arrivals(): Promise<Arrivals>;
  metrics(): Promise<string>;
  freeze(): void;
  thaw(): void;
  kill(): Promise<void>;
  stop(timeoutMs?: number): Promise<void>;
}
export declare const APPS: {
  readonly faultGreeter: string;
  readonly greeter: string;
  readonly relay: string;
  readonly relayOptions: string;
};
export declare const BARE: { readonly relay: string; readonly greeter: string };
export declare function startServer(spec: ServerSpec): Promise<Server>;
export declare function startRelay(options: {
  kind: 'krpc' | 'krpc-options' | 'bare';
  target: string;
  kubeconfigPath?: string;
  clientOptions?: Record<string, unknown>;
  env?: Record<string, string>;
  name?: string;
}): Promise<Server>;

export interface KubeApiLike {
  upsertEndpointSlice(spec: object): unknown;
  deleteEndpointSlice(namespace: string, name: string): void;
}
export interface ReadinessProbe {
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly failureThreshold: number;
  readonly successThreshold?: number;
}
export declare const MANIFEST_READINESS_PROBE: ReadinessProbe;
export interface ClusterOptions {
  readonly replicas?: number;
  readonly kind?: 'krpc' | 'bare';
  readonly app?: string;
  readonly fault?: Fault;
  readonly env?: Record<string, string>;
  readonly recordArrivals?: boolean;
  readonly kubeApi?: KubeApiLike;
  readonly service?: string;
  readonly readinessProbe?: false | ReadinessProbe;
  readonly exitNoticeMs?: number;
}
export declare class FaultCluster {
  readonly replicas: Server[];
  readonly events: { t: number; event: string; replica: string | undefined }[];
  readonly port: number;
  readonly staticTarget: string;
  readonly kubernetesTarget: string;
  addReplica(overrides?: { fault?: Fault; env?: Record<string, string>; zone?: string; forZones?: string[] }): Promise<Server>;
  setReadiness(replica: Server, ready: boolean): void;
  setHints(replica: Server, forZones: string[] | undefined): void;
  terminate(replica: Server, graceMs?: number): Promise<void>;
  readonly members: Set<Server>;
  replica(idOrIndex: string | number): Server;
  freeze(replica: Server): void;
  thaw(replica: Server): void;
  setFault(replica: Server, fault: Fault): Promise<void>;
  kill(replica: Server): Promise<void>;
  replace(replica: Server, overrides?: { fault?: Fault; env?: Record<string, string> }): Promise<Server>;
  arrivals(): Promise<Record<string, Arrivals>>;
  close(): Promise<void>;
}
export declare function startFaultCluster(options?: ClusterOptions): Promise<FaultCluster>;

export declare class EndpointSlicePublisher {
  constructor(api: KubeApiLike, options?: { service?: string; namespace?: string; portName?: string });
  readonly target: string;
  publish(
    members: { ip: string; port: number; ready: boolean; pod?: string; terminating?: boolean; zone?: string; forZones?: string[] }[],
  ): void;
}
export declare function probeReadyz(host: string, port: number, timeoutMs: number): Promise<boolean>;
export declare class ReadinessProber {
  constructor(probe: ReadinessProbe, onChange: (target: Server, ready: boolean) => void);
  add(target: Server): void;
  remove(target: Server): void;
  close(): void;
}
export interface FakeKubeApiHandle extends KubeApiLike {
  upsertNode(name: string, labels: Record<string, string>): unknown;
  readonly url: string;
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}
export declare function loadFakeKubeApi(): Promise<Record<string, unknown>>;
export declare function startFakeKubeApi(options?: { token?: string; bookmarkIntervalMs?: number }): Promise<FakeKubeApiHandle>;

export interface LoadOptions {
  readonly target: string;
  readonly callers?: number;
  readonly deadlineMs?: number;
  readonly rate?: number;
  readonly idPrefix?: string;
  readonly channelOptions?: Record<string, unknown>;
  readonly warmUp?: { replicas?: string[]; timeoutMs?: number };
}
export interface LoadRecords {
  start: number[];
  end: number[];
  code: number[];
  replica: number[];
  replicas: string[];
  id: string[];
  details: Record<string, number>;
}
export declare function startLoad(options: LoadOptions): Promise<{ startedAt: number; records: LoadRecords; stop(): Promise<LoadRecords> }>;
export declare function startLoadProcess(options: LoadOptions): Promise<{ startedAt: number; pid: number; stop(): Promise<LoadRecords> }>;
export declare function callOnce(target: string, options?: { deadlineMs?: number }): Promise<{ code: number; ms: number }>;

export interface Summary {
  calls: number;
  failed: number;
  failedPct: number | null;
  codes: Record<string, number>;
  okPerSec: number | null;
  okP50Ms: number | null;
  okP99Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}
export declare function codeName(code: number): string;
export declare function summarize(records: LoadRecords, from: number, to: number): Summary;
export declare function callSeries(
  records: LoadRecords,
  t0: number,
  t1: number,
  stepMs?: number,
): { stepMs: number; started: number[]; ok: number[]; failed: number[]; byReplica: Record<string, number[]> };
export declare function sendTimesByReplica(arrivals: Record<string, { ids: string[] }>, records: LoadRecords): Record<string, number[]>;
export declare function binCounts(times: number[], t0: number, t1: number, stepMs?: number): number[];
export declare function shareSeries(part: number[], total: number[]): (number | null)[];
export declare function lastIn(times: number[], from: number, to: number): number | null;
export declare function firstAfter(times: number[], from: number): number | null;
export declare function settlesBelow(values: (number | null)[], limit: number, fromBin: number, toBin: number): number | null;

export declare function openFds(pid: number): number;
export declare function memory(pid: number): { rssMb: number; peakRssMb: number };
export declare function sampleRss(pid: number, intervalMs?: number): { stop(): number };
export declare function metricSum(text: string, name: string, labels?: Record<string, string>): number;
export declare function h2load(
  host: string,
  port: number,
  options: { connections: number; streams: number; seconds: number; threads?: number },
): Promise<{ reqPerSec: number; done: number; succeeded: number; failed: number; seconds: number; output: string }>;
export declare function slowloris(
  host: string,
  port: number,
  options?: { count?: number; bytes?: number; batch?: number; connectTimeoutMs?: number },
): Promise<{ sockets: import('node:net').Socket[]; open(): number; destroy(): void }>;
export declare function rapidReset(
  host: string,
  port: number,
  options?: { connections?: number; maxStreams?: number; timeoutMs?: number },
): Promise<{ connections: number; goaway: number; streams: number }>;
export declare function unreadStreams(
  host: string,
  port: number,
  options?: { connections?: number; streams?: number; path?: string },
): Promise<{ streams: number; open(): number; destroy(): void }>;
export declare function continuationFlood(
  host: string,
  port: number,
  options?: { maxBytes?: number; timeoutMs?: number },
): Promise<{ closed: boolean; sentBytes: number; ms: number }>;
export declare function fdsSettle(pid: number, limit: number, timeoutMs: number): Promise<number>;
