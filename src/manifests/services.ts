import type { DeploySpec } from './deploy-spec.js';
import { PORT_NAMES } from './manifest-constants.js';
import { type ManifestObject, objectMeta } from './manifest-object.js';

/**
 * The Services. The headless one (named like the app) lists every pod: `kubernetes:///NAME:grpc`
 * clients and `dns:///` clients with round_robin balance per call over them, which a ClusterIP
 * Service cannot give gRPC (kube-proxy balances connections). The optional ClusterIP one,
 * `NAME-cluster`, is for clients that cannot balance themselves; it exposes only `grpc`, so a
 * ServiceMonitor scrapes each pod once. `trafficDistribution` (e.g. `PreferClose`) makes the
 * EndpointSlice controller write zone hints, which `kubernetes:///` clients and kube-proxy follow.
 */
export function buildServices(spec: DeploySpec): ManifestObject[] {
  const ports = [
    { name: PORT_NAMES.grpc, port: spec.grpcPort, targetPort: PORT_NAMES.grpc, protocol: 'TCP', appProtocol: 'grpc' },
    { name: PORT_NAMES.runtime, port: spec.runtimePort, targetPort: PORT_NAMES.runtime, protocol: 'TCP', appProtocol: 'http' },
  ];
  // the web port (HTTP/1.1 and HTTP/2 alike) is what an Ingress or Gateway route points at: on every Service
  const web =
    spec.webPort === undefined
      ? []
      : [{ name: PORT_NAMES.web, port: spec.webPort, targetPort: PORT_NAMES.web, protocol: 'TCP', appProtocol: 'http' }];
  const service = (name: string, headless: boolean, primary: boolean): ManifestObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(spec, name),
    spec: {
      ...(headless ? { clusterIP: 'None', publishNotReadyAddresses: false } : { type: 'ClusterIP' }),
      ...(spec.service.trafficDistribution ? { trafficDistribution: spec.service.trafficDistribution } : {}),
      selector: { ...spec.selector },
      ports: primary ? [...ports, ...web] : [...ports.slice(0, 1), ...web],
    },
  });
  return [
    ...(spec.service.headless ? [service(spec.name, true, true)] : []),
    ...(spec.service.clusterIP ? [service(spec.service.headless ? `${spec.name}-cluster` : spec.name, false, !spec.service.headless)] : []),
  ];
}
