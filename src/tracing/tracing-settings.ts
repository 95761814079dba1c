import { ConfigurationError, closest } from '../errors/index.js';

/** A trace exporter `krpc-app start` can set up (`OTEL_TRACES_EXPORTER`). */
export type TracesExporter = 'otlp' | 'console';
/** The OTLP transports built in (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export type OtlpProtocol = 'grpc' | 'http/protobuf';
/** The samplers of the OpenTelemetry specification built in (`OTEL_TRACES_SAMPLER`). */
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';
/** The propagators built in (`OTEL_PROPAGATORS`). */
export type PropagatorName = 'tracecontext' | 'baggage';

/** Tracing as `krpc-app start` sets it up: the `tracing` section with the `OTEL_*` variables over it, checked. */
export interface TracingSettings {
  readonly exporters: readonly TracesExporter[];
  readonly protocol: OtlpProtocol;
  /** Where OTLP spans go, in full (`…/v1/traces` for http/protobuf); `undefined` for the exporter's default (localhost). */
  readonly url: string | undefined;
  readonly sampler: SamplerName;
  /** The ratio of the `traceidratio` samplers (0–1). */
  readonly ratio: number;
  readonly propagators: readonly PropagatorName[];
  /** `service.name`; `OTEL_SERVICE_NAME` or the section's `serviceName`. */
  readonly serviceName: string | undefined;
  /** Resource attributes from the section (`OTEL_RESOURCE_ATTRIBUTES` is read by the SDK, over these). */
  readonly resourceAttributes: Readonly<Record<string, string>>;
}

type Env = Readonly<Record<string, string | undefined>>;

const SECTION_KEYS = [
  'enabled',
  'exporter',
  'protocol',
  'endpoint',
  'sampler',
  'samplerArg',
  'propagators',
  'serviceName',
  'resourceAttributes',
];
const EXPORTERS = ['otlp', 'console', 'none'];
const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf'];
const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const PROPAGATORS = ['tracecontext', 'baggage', 'none'];

/** A value and where it came from: an `OTEL_*` variable (first set one wins) or the section's key. */
interface Sourced {
  readonly value: unknown;
  readonly where: string;
}

function pick(env: Env, variables: readonly string[], section: Readonly<Record<string, unknown>>, key: string): Sourced | undefined {
  for (const name of variables) {
    const raw = env[name]?.trim();
    if (raw) return { value: raw, where: `environment variable ${name}` };
  }
  return section[key] === undefined ? undefined : { value: section[key], where: `tracing.${key} in the config` };
}

function invalid(problem: string, fix: string): ConfigurationError {
  return new ConfigurationError('KRPC_TRACING_INVALID', problem, { fix });
}

function list(source: Sourced): string[] {
  const { value } = source;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v) => v.trim().toLowerCase());
  if (typeof value === 'string')
    return value
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
  throw invalid(
    `Invalid ${source.where}: ${JSON.stringify(value)} is not a list of names`,
    'write a comma-separated list (an array in the config)',
  );
}

function exportersOf(section: Readonly<Record<string, unknown>>, env: Env): TracesExporter[] {
  const source = pick(env, ['OTEL_TRACES_EXPORTER'], section, 'exporter');
  const fromEnv = source?.where.startsWith('environment') === true;
  if (!fromEnv && section.enabled !== true) return [];
  if (!source) return ['otlp'];
  const names = list(source);
  for (const name of names) {
    if (!EXPORTERS.includes(name)) {
      const guess = closest(name, EXPORTERS);
      throw invalid(
        `Unknown trace exporter "${name}" in ${source.where}`,
        `use otlp, console or none${guess ? ` (did you mean "${guess}"?)` : ''}; other exporters need an SDK the app registers itself (docs/tracing.md)`,
      );
    }
  }
  return names.filter((n): n is TracesExporter => n !== 'none');
}

function endpointUrl(section: Readonly<Record<string, unknown>>, env: Env, protocol: OtlpProtocol): string | undefined {
  const signal = pick(env, ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'], {}, '');
  const base = signal ?? pick(env, ['OTEL_EXPORTER_OTLP_ENDPOINT'], section, 'endpoint');
  if (!base) return undefined;
  const text = typeof base.value === 'string' ? base.value : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw invalid(
      `Invalid OTLP endpoint ${JSON.stringify(base.value)} in ${base.where}: not an http:// or https:// URL`,
      `write the collector's URL, e.g. http://otel-collector:${protocol === 'grpc' ? 4317 : 4318}`,
    );
  }
  if (signal || protocol === 'grpc') return text;
  return `${text.replace(/\/+$/, '')}/v1/traces`;
}

function ratioOf(section: Readonly<Record<string, unknown>>, env: Env, sampler: SamplerName): number {
  if (!sampler.endsWith('traceidratio')) return 1;
  const source = pick(env, ['OTEL_TRACES_SAMPLER_ARG'], section, 'samplerArg');
  if (!source) return 1;
  const value = typeof source.value === 'number' ? source.value : typeof source.value === 'string' ? Number(source.value) : Number.NaN;
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw invalid(
      `Invalid sampler argument ${JSON.stringify(source.value)} in ${source.where}: not a ratio from 0 to 1`,
      `set it to the share of traces to keep, e.g. 0.1`,
    );
  }
  return value;
}

function stringOf(source: Sourced | undefined): string | undefined {
  if (!source) return undefined;
  if (typeof source.value === 'string' && source.value !== '') return source.value;
  throw invalid(`Invalid ${source.where}: ${JSON.stringify(source.value)} is not a non-empty string`, 'write a name');
}

function checkSection(section: Readonly<Record<string, unknown>>): void {
  for (const key of Object.keys(section)) {
    if (SECTION_KEYS.includes(key)) continue;
    const guess = closest(key, SECTION_KEYS);
    throw invalid(
      `Unknown key "${key}" in the tracing section`,
      guess ? `did you mean "${guess}"?` : `known keys: ${SECTION_KEYS.join(', ')}`,
    );
  }
  if (section.enabled !== undefined && typeof section.enabled !== 'boolean') {
    throw invalid(`Invalid tracing.enabled: ${JSON.stringify(section.enabled)} is not true or false`, 'write "enabled": true');
  }
  const attributes = section.resourceAttributes;
  if (attributes !== undefined) {
    const ok = typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes);
    if (!ok || !Object.values(attributes).every((v) => typeof v === 'string')) {
      throw invalid('Invalid tracing.resourceAttributes: not an object of strings', 'write { "deployment.environment.name": "prod" }');
    }
  }
}

/**
 * Whether tracing is on and how, from the config's `tracing` section and the standard `OTEL_*`
 * variables over it; `undefined` when it is off (`OTEL_TRACES_EXPORTER` unset or `none`, and
 * `tracing.enabled` not true; or `OTEL_SDK_DISABLED=true`). Loads nothing of OpenTelemetry. A bad
 * value is a {@link ConfigurationError} (`KRPC_TRACING_INVALID`) naming the variable or key.
 */
export function resolveTracingSettings(
  section: Readonly<Record<string, unknown>> | undefined,
  env: Env = process.env,
): TracingSettings | undefined {
  const own = section ?? {};
  checkSection(own);
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = exportersOf(own, env);
  if (exporters.length === 0) return undefined;
  const protocolSource = pick(env, ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'], own, 'protocol');
  const protocol = (protocolSource?.value ?? 'http/protobuf') as OtlpProtocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw invalid(
      `Unknown OTLP protocol ${JSON.stringify(protocolSource?.value)} in ${protocolSource?.where}`,
      'use grpc or http/protobuf',
    );
  }
  const samplerSource = pick(env, ['OTEL_TRACES_SAMPLER'], own, 'sampler');
  const sampler = (
    typeof samplerSource?.value === 'string' ? samplerSource.value.toLowerCase() : (samplerSource?.value ?? 'parentbased_always_on')
  ) as SamplerName;
  if (!SAMPLERS.includes(sampler)) {
    const guess = closest(String(sampler), SAMPLERS);
    throw invalid(
      `Unknown sampler ${JSON.stringify(samplerSource?.value)} in ${samplerSource?.where}`,
      `use one of ${SAMPLERS.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
    );
  }
  const propagatorSource = pick(env, ['OTEL_PROPAGATORS'], own, 'propagators');
  const propagatorNames = propagatorSource ? list(propagatorSource) : ['tracecontext', 'baggage'];
  for (const name of propagatorNames) {
    if (!PROPAGATORS.includes(name)) {
      throw invalid(
        `Unknown propagator "${name}" in ${propagatorSource?.where}`,
        'use tracecontext, baggage or none; for b3 or jaeger register your own SDK with that propagator before the app starts (docs/tracing.md)',
      );
    }
  }
  return {
    exporters,
    protocol,
    url: endpointUrl(own, env, protocol),
    sampler,
    ratio: ratioOf(own, env, sampler),
    propagators: propagatorNames.filter((n): n is PropagatorName => n !== 'none'),
    serviceName: stringOf(pick(env, ['OTEL_SERVICE_NAME'], own, 'serviceName')),
    resourceAttributes: (own.resourceAttributes ?? {}) as Record<string, string>,
  };
}
