import type { Registry } from 'prom-client';
import type { ClientCallObserver, ClientMethodInfo, ClientMethodObserver } from '../client/index.js';
import { DEFAULT_BUCKETS, PreboundHistogram } from './prebound-histogram.js';
import { type Cell, PreboundScalar, registerOnce } from './prebound-metric.js';
import { STATUS_NAMES } from './status-names.js';

/** Options of {@link ClientMetrics}. */
export interface ClientMetricsOptions {
  readonly registry: Registry;
  /** `grpc_client_handling_seconds` buckets (default: go-grpc-prometheus'). */
  readonly buckets?: readonly number[];
}

/**
 * go-grpc-prometheus' `grpc_client_*` metrics for outgoing calls, observed by the client layer.
 * Label children are bound once per method in `forMethod`.
 */
export class ClientMetrics implements ClientCallObserver {
  private readonly started: PreboundScalar;
  private readonly handled: PreboundScalar;
  private readonly handling: PreboundHistogram;
  private readonly received: PreboundScalar;
  private readonly sent: PreboundScalar;

  constructor(options: ClientMetricsOptions) {
    const { registry } = options;
    const labels = ['grpc_type', 'grpc_service', 'grpc_method'];
    this.started = registerOnce(
      registry,
      new PreboundScalar('grpc_client_started_total', 'Total number of RPCs started on the client.', 'counter', labels),
    );
    this.handled = registerOnce(
      registry,
      new PreboundScalar(
        'grpc_client_handled_total',
        'Total number of RPCs completed by the client, regardless of success or failure.',
        'counter',
        [...labels, 'grpc_code'],
      ),
    );
    this.handling = registerOnce(
      registry,
      new PreboundHistogram(
        'grpc_client_handling_seconds',
        'Histogram of response latency (seconds) of the gRPC until it is finished by the application.',
        labels,
        options.buckets ?? DEFAULT_BUCKETS,
      ),
    );
    this.received = registerOnce(
      registry,
      new PreboundScalar(
        'grpc_client_msg_received_total',
        'Total number of RPC stream messages received by the client.',
        'counter',
        labels,
      ),
    );
    this.sent = registerOnce(
      registry,
      new PreboundScalar('grpc_client_msg_sent_total', 'Total number of gRPC stream messages sent by the client.', 'counter', labels),
    );
  }

  /** Binds every label child of one method; called once per method. */
  forMethod(info: ClientMethodInfo): ClientMethodObserver {
    const values = [info.kind, info.service, info.rpcName];
    const started = this.started.child(...values);
    const handledByCode: Cell[] = STATUS_NAMES.map((code) => this.handled.child(...values, code));
    const unknown = handledByCode[2] as Cell;
    const histogram = this.handling.child(...values);
    const received = this.received.child(...values);
    const sent = this.sent.child(...values);
    return {
      start: () => {
        started.value++;
      },
      received: () => {
        received.value++;
      },
      sent: () => {
        sent.value++;
      },
      end: (code, startedAt) => {
        (handledByCode[code] ?? unknown).value++;
        histogram.observe((performance.now() - startedAt) / 1000);
      },
    };
  }
}
