import type { Registry } from 'prom-client';
import { DEFAULT_BUCKETS, HistogramCell, PreboundHistogram } from './prebound-histogram.js';
import { type Cell, PreboundScalar, registerOnce } from './prebound-metric.js';
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

/** The cells of one method, bound once: per call, plain number increments. */
export interface RpcMethodCells {
  readonly started: Cell;
  /** Indexed by status code; `handledByCode[2]` (UNKNOWN) stands in for codes out of range. */
  readonly handledByCode: readonly Cell[];
  readonly histogram: HistogramCell;
  readonly received: Cell;
  readonly sent: Cell;
}

/**
 * go-grpc-prometheus' five metrics for one side (`grpc_server_*` or `grpc_client_*`):
 * started, handled (by code), handling seconds, messages received and sent.
 */
export class RpcMetricSet {
  private readonly started: PreboundScalar;
  private readonly handled: PreboundScalar;
  private readonly handling: PreboundHistogram;
  private readonly received: PreboundScalar;
  private readonly sent: PreboundScalar;

  constructor(registry: Registry, side: 'server' | 'client', help: RpcMetricHelp, buckets: readonly number[] = DEFAULT_BUCKETS) {
    const name = (suffix: string) => `grpc_${side}_${suffix}`;
    const labels = [...METHOD_LABELS];
    const counter = (suffix: string, text: string, extra: string[] = []) =>
      registerOnce(registry, new PreboundScalar(name(suffix), text, 'counter', [...labels, ...extra]));
    this.started = counter('started_total', help.started);
    this.handled = counter('handled_total', help.handled, ['grpc_code']);
    this.handling = registerOnce(registry, new PreboundHistogram(name('handling_seconds'), help.handling, labels, buckets));
    this.received = counter('msg_received_total', help.received);
    this.sent = counter('msg_sent_total', help.sent);
  }

  /** Binds every label child of one method (all 17 codes, as go-grpc-prometheus initialises them). */
  bind(kind: string, service: string, rpcName: string): RpcMethodCells {
    const values = [kind, service, rpcName];
    return {
      started: this.started.child(...values),
      handledByCode: STATUS_NAMES.map((code) => this.handled.child(...values, code)),
      histogram: this.handling.child(...values),
      received: this.received.child(...values),
      sent: this.sent.child(...values),
    };
  }
}
