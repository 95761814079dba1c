import { ConfigurationError } from '../errors/index.js';

/** Where the app's spans go in the cluster: `krpc-app manifests --otlp-endpoint` (and `--otlp-protocol`). */
export interface OtlpTarget {
  readonly endpoint: string;
  readonly protocol: 'grpc' | 'http/protobuf';
}

/** Checks the command line's collector address; `undefined` when none was given. */
export function resolveOtlpTarget(endpoint: string | undefined, protocol: string | undefined): OtlpTarget | undefined {
  if (endpoint === undefined) {
    if (protocol !== undefined) {
      throw new ConfigurationError('KRPC_TRACING_INVALID', '--otlp-protocol was given without --otlp-endpoint', {
        fix: 'add --otlp-endpoint http://otel-collector.observability:4318 (the collector Service)',
      });
    }
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new ConfigurationError(
      'KRPC_TRACING_INVALID',
      `Invalid --otlp-endpoint ${JSON.stringify(endpoint)}: not an http:// or https:// URL`,
      {
        fix: 'give the collector Service URL, e.g. http://otel-collector.observability:4318 (4317 with --otlp-protocol grpc)',
      },
    );
  }
  const chosen = protocol ?? 'http/protobuf';
  if (chosen !== 'grpc' && chosen !== 'http/protobuf') {
    throw new ConfigurationError('KRPC_TRACING_INVALID', `Unknown --otlp-protocol ${JSON.stringify(protocol)}`, {
      fix: 'use grpc or http/protobuf',
    });
  }
  return { endpoint, protocol: chosen };
}

/**
 * The container variables that turn tracing on and send it to `target`: the standard OTEL_* ones
 * (service name = the Deployment's). The Deployment sets POD_NAME, POD_NAMESPACE and, with tracing
 * or discovery, NODE_NAME from the downward API (for `k8s.node.name`).
 */
export function otlpContainerEnv(target: OtlpTarget, name: string): { name: string; value: string }[] {
  return [
    { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: target.endpoint },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: target.protocol },
    { name: 'OTEL_SERVICE_NAME', value: name },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: `k8s.deployment.name=${name}` },
  ];
}

/** The variable names {@link otlpContainerEnv} sets. */
export const OTLP_ENV_NAMES: readonly string[] = otlpContainerEnv({ endpoint: '', protocol: 'grpc' }, '').map((e) => e.name);
