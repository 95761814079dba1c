import type { KubeObject } from './object-store.js';

/** The collection key of `discovery.k8s.io/v1` EndpointSlices in the store. */
export const ENDPOINT_SLICES = 'discovery.k8s.io/v1/endpointslices';

/** One endpoint of a slice built by {@link endpointSlice}. */
export interface SliceEndpointSpec {
  readonly ip: string;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly pod?: string;
  /** `topology.kubernetes.io/zone` of the endpoint's node. */
  readonly zone?: string;
  /** Topology-aware routing hints: the zones that should use this endpoint. */
  readonly forZones?: readonly string[];
}

/** What {@link endpointSlice} builds. */
export interface EndpointSliceSpec {
  readonly service: string;
  readonly name: string;
  readonly namespace?: string;
  readonly ports?: readonly { name?: string; port: number; protocol?: string }[];
  readonly endpoints: readonly SliceEndpointSpec[];
  readonly addressType?: 'IPv4' | 'IPv6' | 'FQDN';
}

/** A `discovery.k8s.io/v1` EndpointSlice as the EndpointSlice controller writes it. */
export function endpointSlice(spec: EndpointSliceSpec): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: spec.name,
      namespace: spec.namespace ?? 'default',
      labels: { 'kubernetes.io/service-name': spec.service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    },
    addressType: spec.addressType ?? 'IPv4',
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: spec.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      targetRef: { kind: 'Pod', name: e.pod ?? `pod-${e.ip.replaceAll(/[.:]/g, '-')}`, namespace: spec.namespace ?? 'default' },
      ...(e.zone ? { zone: e.zone } : {}),
      ...(e.forZones ? { hints: { forZones: e.forZones.map((name) => ({ name })) } } : {}),
    })),
  };
}
