import type { Logger } from '../logging/index.js';
import { type EndpointSliceApi, httpStatusOf } from './kube-client.js';

/** The well-known Node label that names its zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The pod's own zone, or why it is not known. */
export interface OwnZone {
  readonly zone: string | undefined;
  /** Where the zone came from, or why there is none. */
  readonly source: string;
}

/** Where {@link OwnZoneLookup} looks. */
export interface OwnZoneSource {
  /** Set explicitly (`KRPC_ZONE`); wins over the Node's label. */
  readonly zone?: string;
  /** The pod's node (`NODE_NAME` from the downward API `spec.nodeName`), whose zone label is read. */
  readonly nodeName?: string;
  readonly api: () => Promise<EndpointSliceApi>;
  readonly logger: Logger;
}

/**
 * Finds the pod's zone once, on first use: `KRPC_ZONE` when set, else the
 * `topology.kubernetes.io/zone` label of its Node (the downward API gives the node's name, not
 * its labels; reading the Node needs `get` on `nodes`). A zone that cannot be found leaves
 * routing zone-blind, which {@link OwnZoneLookup.noteUnknown} logs once.
 */
export class OwnZoneLookup {
  private result: OwnZone | undefined;
  private loading: Promise<OwnZone> | undefined;
  private unknownLogged = false;

  constructor(private readonly source: OwnZoneSource) {}

  /** The zone if already known; undefined while it is being looked up (which this starts). */
  current(): OwnZone | undefined {
    void this.get();
    return this.result;
  }

  /** The zone, looked up once. */
  get(): Promise<OwnZone> {
    this.loading ??= this.lookUp().then((result) => {
      this.result = result;
      if (result.zone !== undefined)
        this.source.logger.info({ zone: result.zone, source: result.source }, `zone-aware routing in zone ${result.zone}`);
      return result;
    });
    return this.loading;
  }

  /** Logs, once, that endpoints carry zones but this pod's zone is unknown. */
  noteUnknown(): void {
    if (this.unknownLogged || this.result === undefined || this.result.zone !== undefined) return;
    this.unknownLogged = true;
    this.source.logger.info(
      { reason: this.result.source },
      `own zone unknown (${this.result.source}): calls use endpoints in every zone; set KRPC_ZONE, or NODE_NAME with RBAC get on nodes`,
    );
  }

  private async lookUp(): Promise<OwnZone> {
    const { zone, nodeName } = this.source;
    if (zone) return { zone, source: 'KRPC_ZONE' };
    if (!nodeName) return { zone: undefined, source: 'neither KRPC_ZONE nor NODE_NAME is set' };
    try {
      const labels = await (await this.source.api()).nodeLabels(nodeName);
      const label = labels[ZONE_LABEL];
      if (label) return { zone: label, source: `label ${ZONE_LABEL} of node ${nodeName}` };
      return { zone: undefined, source: `node ${nodeName} has no ${ZONE_LABEL} label` };
    } catch (error) {
      const rbac = httpStatusOf(error) === 403 ? ' (RBAC: the pod needs get on nodes)' : '';
      return { zone: undefined, source: `cannot read node ${nodeName}${rbac}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
