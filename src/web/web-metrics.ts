import { Counter, type Registry } from 'prom-client';
import { Status, statusName } from '../errors/index.js';
import type { CallObserver, MethodInfo, MethodObserver } from '../server/index.js';

const NAME = 'krpc_web_handled_total';

/** The protocol names of the metric, by Connect's protocol name. */
const PROTOCOL_LABELS: Readonly<Record<string, string>> = { connect: 'connect', 'grpc-web': 'grpc_web' };

/**
 * `krpc_web_handled_total{protocol, grpc_service, grpc_method, grpc_code}`: the web port's calls
 * by protocol (`connect`, `grpc_web`). They are also counted, with the gRPC port's, in every
 * `grpc_server_*` metric, through the same observers.
 */
export function webProtocolObserver(registry: Registry, protocolName: string): CallObserver {
  const counter =
    (registry.getSingleMetric(NAME) as Counter | undefined) ??
    new Counter({
      name: NAME,
      help: 'Total number of RPCs completed on the web port (Connect and gRPC-Web), by protocol; they are counted in grpc_server_* too.',
      labelNames: ['protocol', 'grpc_service', 'grpc_method', 'grpc_code'],
      registers: [registry],
    });
  const protocol = PROTOCOL_LABELS[protocolName] ?? protocolName;
  return {
    forMethod(info: MethodInfo): MethodObserver {
      const children = new Map<Status, Counter.Internal>();
      const child = (code: Status) => {
        let found = children.get(code);
        if (!found) {
          found = counter.labels({ protocol, grpc_service: info.service, grpc_method: info.rpcName, grpc_code: statusName(code) });
          children.set(code, found);
        }
        return found;
      };
      return {
        start: () => true,
        received: () => {},
        sent: () => {},
        end: (code) => child(code ?? Status.UNKNOWN).inc(),
      };
    },
  };
}
