import type { experimental } from '@grpc/grpc-js';

/** The fields of a `discovery.k8s.io/v1` EndpointSlice the resolver reads. */
export interface EndpointSliceLike {
  readonly metadata?: { readonly name?: string; readonly resourceVersion?: string };
  /** `IPv4`, `IPv6` or `FQDN`. */
  readonly addressType?: string;
  readonly endpoints?: readonly SliceEndpointLike[] | null;
  /** Ports of every endpoint in the slice; absent or empty means "no port restriction". */
  readonly ports?: readonly { readonly name?: string | null; readonly port?: number | null; readonly protocol?: string | null }[] | null;
}

/** One endpoint of an EndpointSlice (a pod). */
export interface SliceEndpointLike {
  /** Consumers use the first address only (the API guarantees they are fungible). */
  readonly addresses?: readonly string[] | null;
  readonly conditions?: {
    readonly ready?: boolean | null;
    readonly serving?: boolean | null;
    readonly terminating?: boolean | null;
  } | null;
  readonly targetRef?: { readonly name?: string } | null;
  /** The zone of the endpoint's node (`topology.kubernetes.io/zone`). */
  readonly zone?: string | null;
  /** Topology-aware routing hints: the zones that should use this endpoint. */
  readonly hints?: { readonly forZones?: readonly { readonly name?: string }[] | null } | null;
}

/** A resolved backend address. */
export interface BackendAddress {
  readonly host: string;
  readonly port: number;
  /** The endpoint's zone, when its slice says. */
  readonly zone?: string;
  /** The zones its topology hints name, when it has hints. */
  readonly forZones?: readonly string[];
}

/** Whether an endpoint should get new calls: ready is not false and it is not terminating. */
export function isEndpointUsable(endpoint: SliceEndpointLike): boolean {
  return endpoint.conditions?.ready !== false && endpoint.conditions?.terminating !== true;
}

/**
 * The port a slice's endpoints serve `port` on: a name is looked up among the slice's ports
 * (undefined if the slice has no port of that name); a number is the pods' port, taken as is.
 */
export function slicePort(slice: EndpointSliceLike, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  const found = slice.ports?.find((p) => p.name === port && (p.protocol ?? 'TCP') === 'TCP');
  return found?.port ?? undefined;
}

/**
 * Merges every slice of a Service into one de-duplicated, sorted address list: all slices
 * count (a Service can have many), usable endpoints only, the port resolved per slice.
 */
export function mergeEndpointSlices(slices: Iterable<EndpointSliceLike>, port: string | number): BackendAddress[] {
  const byKey = new Map<string, BackendAddress>();
  for (const slice of slices) {
    const resolvedPort = slicePort(slice, port);
    if (resolvedPort === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      const host = endpoint.addresses?.[0];
      if (!host || !isEndpointUsable(endpoint)) continue;
      const forZones = endpoint.hints?.forZones?.flatMap((z) => (z.name ? [z.name] : []));
      byKey.set(addressKey({ host, port: resolvedPort }), {
        host,
        port: resolvedPort,
        ...(endpoint.zone ? { zone: endpoint.zone } : {}),
        ...(forZones?.length ? { forZones } : {}),
      });
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, address]) => address);
}

/** `host:port`, with IPv6 hosts bracketed. */
export function addressKey(address: BackendAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** One grpc-js endpoint per address. */
export function toGrpcEndpoints(addresses: readonly BackendAddress[]): experimental.Endpoint[] {
  return addresses.map((address) => ({ addresses: [{ host: address.host, port: address.port }] }));
}
