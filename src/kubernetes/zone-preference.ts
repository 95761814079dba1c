import type { BackendAddress } from './endpoint-slice.js';

/** How {@link preferZone} chose. */
export type ZoneMode = 'hints' | 'same-zone' | 'all';

/** The endpoints a client in one zone should use, and why. */
export interface ZoneChoice {
  readonly addresses: readonly BackendAddress[];
  readonly mode: ZoneMode;
  /** Why every zone is used (`mode: 'all'`), for the log line. */
  readonly reason?: string;
}

/**
 * A zone holding less than its share of the endpoints by more than this factor counts as
 * overloaded (the EndpointSlice controller's topology-hints overload threshold is 20%).
 */
export const ZONE_OVERLOAD_FACTOR = 1.2;

/**
 * Which endpoints a client in `zone` uses, by the rule of Kubernetes' topology-aware routing
 * and `trafficDistribution: PreferClose`:
 * 1. hints — when every endpoint carries `hints.forZones`, those hinted for the zone (the
 *    controller sized them to the zone's capacity); none hinted for it: all endpoints;
 * 2. otherwise the endpoints in the same zone, unless there are none, or the zone holds fewer
 *    than its share of them (1 / zones, less the 20% threshold): then spill over to all;
 * 3. endpoints without zones: all endpoints. (The resolver uses every endpoint, without asking,
 *    while its own zone is unknown.)
 */
export function preferZone(addresses: readonly BackendAddress[], zone: string): ZoneChoice {
  if (addresses.every((a) => a.forZones !== undefined && a.forZones.length > 0)) {
    const hinted = addresses.filter((a) => a.forZones?.includes(zone));
    if (hinted.length > 0) return { addresses: hinted, mode: 'hints' };
    return { addresses, mode: 'all', reason: `no endpoint is hinted for zone ${zone}` };
  }
  const zones = new Set(addresses.map((a) => a.zone).filter((z) => z !== undefined));
  if (zones.size === 0) return { addresses, mode: 'all', reason: 'the endpoints carry no zone' };
  const local = addresses.filter((a) => a.zone === zone);
  if (local.length === 0) return { addresses, mode: 'all', reason: `zone ${zone} has no ready endpoints` };
  if (local.length * zones.size * ZONE_OVERLOAD_FACTOR < addresses.length) {
    return {
      addresses,
      mode: 'all',
      reason: `zone ${zone} has ${local.length} of ${addresses.length} ready endpoints in ${zones.size} zones: too few for its share`,
    };
  }
  return { addresses: local, mode: 'same-zone' };
}
