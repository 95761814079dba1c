import type { DeployFields } from './deploy-fields.js';
import { deployError } from './deploy-fields.js';
import type { AutoscalerKind, ProbeKind } from './deploy-options.js';
import type { DeploySpec } from './deploy-spec.js';
import type { ManifestConfig } from './resolve-deploy-spec.js';

/** Refuses combinations the app's configuration cannot serve (probes, autoscaling, fixed ports). */
export function checkFeatures(config: ManifestConfig, source: string, probes: ProbeKind, autoscaler: AutoscalerKind): void {
  if (config.port === 0 || config.runtimePort === 0) {
    throw deployError(
      source,
      'port and runtimePort must be fixed in a Deployment, not 0',
      'set port (default 50051) and runtimePort (default 9464)',
    );
  }
  if (config.port === config.runtimePort)
    throw deployError(source, `port and runtimePort are both ${config.port}`, 'give them different ports');
  if (probes === 'grpc' && !config.health) {
    throw deployError(source, 'gRPC probes need grpc.health.v1, but health is off', 'turn health on, or set deploy.probes to "http"');
  }
  if (probes === 'grpc' && config.tlsCert) {
    throw deployError(
      source,
      'kubelet gRPC probes cannot speak TLS, and the gRPC port serves TLS',
      'set deploy.probes to "http" (the runtime port is plain HTTP)',
    );
  }
  if (probes === 'http' && !config.runtime) {
    throw deployError(
      source,
      'HTTP probes need the runtime endpoint, but runtime is off',
      'turn runtime on, or set deploy.probes to "grpc"',
    );
  }
  if (autoscaler !== 'none' && !(config.runtime && config.metrics)) {
    throw deployError(
      source,
      `autoscaler ${autoscaler} scales on the runtime's metrics, but runtime or metrics is off`,
      'turn runtime and metrics on, or set deploy.autoscaler to "none"',
    );
  }
}

/** `deploy.podDisruptionBudget`: `false`, `{ maxUnavailable }` (default 1) or `{ minAvailable }`. */
export function readPodDisruptionBudget(d: DeployFields): DeploySpec['podDisruptionBudget'] {
  if (d.raw('podDisruptionBudget') === false) return undefined;
  const pdb = d.object('podDisruptionBudget', ['maxUnavailable', 'minAvailable']);
  const read = (key: string): number | string | undefined => {
    const v = pdb.raw(key);
    if (v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && /^\d+%$/.test(v)))
      return v;
    return pdb.fail(key, v, 'a whole number or a percentage such as "25%"');
  };
  const maxUnavailable = read('maxUnavailable');
  const minAvailable = read('minAvailable');
  if (maxUnavailable !== undefined && minAvailable !== undefined)
    pdb.fail('minAvailable', minAvailable, 'unset when maxUnavailable is set');
  return minAvailable !== undefined ? { minAvailable } : { maxUnavailable: maxUnavailable ?? 1 };
}
