import { describe, expect, it } from 'vitest';
import { resolveTracingSettings } from './tracing-settings.js';

describe('resolveTracingSettings', () => {
  it('is off unless OTEL_TRACES_EXPORTER names an exporter or tracing.enabled is true', () => {
    expect(resolveTracingSettings(undefined, {})).toBeUndefined();
    expect(resolveTracingSettings(undefined, { OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(resolveTracingSettings({ enabled: true }, { OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(resolveTracingSettings({ enabled: true }, { OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(resolveTracingSettings({ exporter: 'otlp' }, {})).toBeUndefined();
    expect(resolveTracingSettings({ enabled: true }, {})?.exporters).toEqual(['otlp']);
    expect(resolveTracingSettings(undefined, { OTEL_TRACES_EXPORTER: 'otlp,console' })?.exporters).toEqual(['otlp', 'console']);
  });

  it('defaults to OTLP http/protobuf, parentbased_always_on, tracecontext and baggage', () => {
    expect(resolveTracingSettings({ enabled: true }, {})).toEqual({
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      url: undefined,
      sampler: 'parentbased_always_on',
      ratio: 1,
      propagators: ['tracecontext', 'baggage'],
      serviceName: undefined,
      resourceAttributes: {},
    });
  });

  it('maps the section to the OTEL_* meanings, the variables winning', () => {
    const section = {
      enabled: true,
      protocol: 'grpc',
      endpoint: 'http://collector:4317',
      sampler: 'parentbased_traceidratio',
      samplerArg: 0.25,
      serviceName: 'orders',
      propagators: ['tracecontext'],
      resourceAttributes: { 'deployment.environment.name': 'prod' },
    };
    expect(resolveTracingSettings(section, {})).toMatchObject({
      protocol: 'grpc',
      url: 'http://collector:4317',
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
      propagators: ['tracecontext'],
      serviceName: 'orders',
      resourceAttributes: { 'deployment.environment.name': 'prod' },
    });
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318/',
      OTEL_TRACES_SAMPLER_ARG: '0.5',
      OTEL_SERVICE_NAME: 'payments',
      OTEL_PROPAGATORS: 'none',
    };
    expect(resolveTracingSettings(section, env)).toMatchObject({
      protocol: 'http/protobuf',
      url: 'http://other:4318/v1/traces',
      ratio: 0.5,
      serviceName: 'payments',
      propagators: [],
    });
  });

  it('takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as the full URL, over the base endpoint', () => {
    const env = {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces',
    };
    expect(resolveTracingSettings(undefined, env)?.url).toBe('https://b/traces');
  });

  it.each([
    [{ OTEL_TRACES_EXPORTER: 'jaeger' }, 'OTEL_TRACES_EXPORTER'],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://x' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift' }, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_EXPORTER: 'otlp', OTEL_PROPAGATORS: 'tracecontext,xray' }, 'OTEL_PROPAGATORS'],
  ])('%o is a KRPC_TRACING_INVALID naming %s', (env, variable) => {
    expect(() => resolveTracingSettings(undefined, env)).toThrow(
      expect.objectContaining({ code: 'KRPC_TRACING_INVALID', message: expect.stringContaining(variable) }),
    );
  });

  it('names the section key of a bad value in the config', () => {
    expect(() => resolveTracingSettings({ enabled: true, endpoint: 'collector' }, {})).toThrow(/tracing\.endpoint in the config/);
    expect(() => resolveTracingSettings({ enabled: 'yes' }, {})).toThrow(/tracing\.enabled/);
    expect(() => resolveTracingSettings({ samplr: 'always_on' }, {})).toThrow(/did you mean "sampler"/);
  });

  it('ignores the sampler argument of samplers that take none', () => {
    expect(
      resolveTracingSettings(undefined, { OTEL_TRACES_EXPORTER: 'otlp', OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'x' })
        ?.ratio,
    ).toBe(1);
  });
});
