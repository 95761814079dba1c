import { performance } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import type { CallObserver, MethodInfo, MethodObserver } from '../server/index.js';
import { type Cell, CounterCells } from './counter-cells.js';
import { InFlightLimiter } from './in-flight-limiter.js';
import type { OverloadShedder } from './overload-shedder.js';
import { METHOD_LABELS, RpcMetricSet } from './rpc-metric-set.js';
import { sampledGauge } from './sampled-gauge.js';

/** Options of {@link ServerMetrics}. */
export interface ServerMetricsOptions {
  /** Where the metrics are registered. */
  readonly registry: Registry;
  /** Counts in-flight calls and sheds over its limit (default: a limiter without limit). */
  readonly limiter?: InFlightLimiter;
  /** Refuses calls while the event loop is late (default: none). */
  readonly shedder?: OverloadShedder;
  /** `grpc_server_handling_seconds` buckets (default: go-grpc-prometheus'). */
  readonly buckets?: readonly number[];
}

/**
 * The server-side call observer: go-grpc-prometheus' `grpc_server_*` metrics, the in-flight
 * gauge and load shedding in one observer, so a call pays for one observer only. Every label
 * child (all 17 codes included, as go-grpc-prometheus initialises them) is bound in
 * `forMethod`; per call it is a few plain-number increments and one prom-client histogram observe.
 *
 * A shed call counts in `grpc_server_started_total`, `grpc_server_handled_total` (code
 * `RESOURCE_EXHAUSTED`) and `krpc_server_shed_total`, but not in the handling histogram.
 */
export class ServerMetrics implements CallObserver {
  readonly limiter: InFlightLimiter;
  private readonly shedder: OverloadShedder | undefined;
  private readonly metrics: RpcMetricSet;
  private readonly shed: CounterCells;

  constructor(options: ServerMetricsOptions) {
    const { registry } = options;
    this.limiter = options.limiter ?? new InFlightLimiter();
    this.shedder = options.shedder;
    this.metrics = new RpcMetricSet(
      registry,
      'server',
      {
        started: 'Total number of RPCs started on the server.',
        handled: 'Total number of RPCs completed on the server, regardless of success or failure.',
        handling: 'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.',
        received: 'Total number of RPC stream messages received on the server.',
        sent: 'Total number of gRPC stream messages sent by the server.',
      },
      options.buckets,
    );
    this.shed = new CounterCells(
      registry,
      'krpc_server_shed_total',
      'Total number of RPCs refused with RESOURCE_EXHAUSTED because the server was overloaded (event loop late, or over its in-flight limit).',
      METHOD_LABELS,
    );
    const limiter = this.limiter;
    const shedder = this.shedder;
    if (shedder?.enabled) {
      sampledGauge(
        registry,
        'krpc_event_loop_lag_seconds',
        'How late the event loop is (seconds), the signal load shedding acts on.',
        () => shedder.lagMs / 1000,
      );
    }
    sampledGauge(
      registry,
      'krpc_server_in_flight_requests',
      'Number of RPCs in progress on the server (all methods).',
      () => limiter.current,
    );
  }

  /** Binds every label child of one method; called once per method at boot. */
  forMethod(info: MethodInfo): MethodObserver {
    const { started, handledByCode, histogram, received, sent } = this.metrics.bind(info.kind, info.service, info.rpcName);
    const unknown = handledByCode[2] as Cell;
    const shed = this.shed.bind({ grpc_type: info.kind, grpc_service: info.service, grpc_method: info.rpcName });
    const limiter = this.limiter;
    const exhausted = handledByCode[8] as Cell;
    const shedder = this.shedder;
    const deadlineExceeded = handledByCode[4] as Cell;
    return {
      retryPushbackMs: () => shedder?.pushbackMs(),
      // grpc-js starts a call's deadline when it reads the headers; the request had already waited
      // about one late turn of the loop, so a call with less than that left is one its caller gave up on
      ...(shedder?.enabled
        ? {
            expiredInQueue: (remainingMs: number) => {
              if (remainingMs > shedder.lagMs) return false;
              started.value++;
              shed.value++;
              deadlineExceeded.value++;
              return true;
            },
          }
        : {}),
      start: () => {
        started.value++;
        if ((!shedder || shedder.admit()) && limiter.tryAcquire()) return true;
        shed.value++;
        exhausted.value++;
        return false;
      },
      received: () => {
        received.value++;
      },
      sent: () => {
        sent.value++;
      },
      end: (code, startedAt) => {
        limiter.release();
        (handledByCode[code] ?? unknown).value++;
        if (startedAt > 0) histogram.observe((performance.now() - startedAt) / 1000);
      },
    };
  }
}
