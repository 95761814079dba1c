import { Histogram, type Registry } from 'prom-client';
import { type Cell, CounterCells } from './counter-cells.js';
import { registeredMetric } from './registered-metric.js';
import { STATUS_NAMES } from './status-names.js';

/** The label names every go-grpc-prometheus metric carries. */
export const METHOD_LABELS: readonly string[] = ['grpc_type', 'grpc_service', 'grpc_method'];

/** The help texts of one side's metrics (go-grpc-prometheus' wording). */
export interface RpcMetricHelp {
  readonly started: string;
  readonly handled: string;
  readonly handling: string;
  readonly received: string;
  readonly sent: string;
}

/** What one method's latency is observed on: its prom-client histogram child. */
export interface LatencyChild {
  observe(seconds: number): void;
}

/** The cells of one method, bound once: per call, plain number increments and one histogram observe. */
export interface RpcMethodCells {
  readonly started: Cell;
  /** Indexed by status code; `handledByCode[2]` (UNKNOWN) stands in for codes out of range. */
  readonly handledByCode: readonly Cell[];
  readonly histogram: LatencyChild;
  readonly received: Cell;
  readonly sent: Cell;
}

/** The label sets each histogram has been zeroed for, so a second bind does not wipe its counts. */
const zeroed = new WeakMap<Histogram, Set<string>>();

/**
 * go-grpc-prometheus' five metrics for one side (`grpc_server_*` or `grpc_client_*`):
 * started, handled (by code), handling seconds, messages received and sent.
 */
export class RpcMetricSet {
  private readonly started: CounterCells;
  private readonly handled: CounterCells;
  private readonly handling: Histogram;
  private readonly received: CounterCells;
  private readonly sent: CounterCells;

  /** @param buckets `handling_seconds` buckets (default prom-client's, which are go-grpc-prometheus'). */
  constructor(registry: Registry, side: 'server' | 'client', help: RpcMetricHelp, buckets?: readonly number[]) {
    const name = (suffix: string) => `grpc_${side}_${suffix}`;
    const counter = (suffix: string, text: string, extra: string[] = []) =>
      new CounterCells(registry, name(suffix), text, [...METHOD_LABELS, ...extra]);
    this.started = counter('started_total', help.started);
    this.handled = counter('handled_total', help.handled, ['grpc_code']);
    this.handling =
      registeredMetric(registry, name('handling_seconds'), Histogram) ??
      new Histogram({
        name: name('handling_seconds'),
        help: help.handling,
        labelNames: [...METHOD_LABELS],
        ...(buckets ? { buckets: [...buckets] } : {}),
        registers: [registry],
      });
    this.received = counter('msg_received_total', help.received);
    this.sent = counter('msg_sent_total', help.sent);
  }

  /** Binds every label child of one method (all 17 codes, as go-grpc-prometheus initialises them). */
  bind(kind: string, service: string, rpcName: string): RpcMethodCells {
    const labels = { grpc_type: kind, grpc_service: service, grpc_method: rpcName };
    return {
      started: this.started.bind(labels),
      handledByCode: STATUS_NAMES.map((code) => this.handled.bind({ ...labels, grpc_code: code })),
      histogram: this.latencyChild(labels),
      received: this.received.bind(labels),
      sent: this.sent.bind(labels),
    };
  }

  /** The histogram child of `labels`, its series exported (at zero) from now on. */
  private latencyChild(labels: Readonly<Record<string, string>>): LatencyChild {
    const key = JSON.stringify(labels);
    const done = zeroed.get(this.handling) ?? new Set<string>();
    zeroed.set(this.handling, done);
    if (!done.has(key)) {
      this.handling.zero(labels);
      done.add(key);
    }
    return this.handling.labels(labels);
  }
}
