import { performance } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import type { ClientCallObserver, ClientMethodInfo, ClientMethodObserver } from '../client/index.js';
import type { Cell } from './counter-cells.js';
import { RpcMetricSet } from './rpc-metric-set.js';

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
  private readonly metrics: RpcMetricSet;

  constructor(options: ClientMetricsOptions) {
    this.metrics = new RpcMetricSet(
      options.registry,
      'client',
      {
        started: 'Total number of RPCs started on the client.',
        handled: 'Total number of RPCs completed by the client, regardless of success or failure.',
        handling: 'Histogram of response latency (seconds) of the gRPC until it is finished by the application.',
        received: 'Total number of RPC stream messages received by the client.',
        sent: 'Total number of gRPC stream messages sent by the client.',
      },
      options.buckets,
    );
  }

  /** Binds every label child of one method; called once per method. */
  forMethod(info: ClientMethodInfo): ClientMethodObserver {
    const { started, handledByCode, histogram, received, sent } = this.metrics.bind(info.kind, info.service, info.rpcName);
    const unknown = handledByCode[2] as Cell;
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
