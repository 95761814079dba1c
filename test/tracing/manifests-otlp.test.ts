import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { spawnKrpc } from '../support/krpc-process.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';
import { grpcClient, startApp, testTracer, unary } from './support/traced-apps.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string } };
}

/** The container env of the Deployment `krpc-app manifests dir ...flags` prints. */
async function deploymentEnv(dir: string, flags: string[]): Promise<EnvVar[]> {
  const proc = spawnKrpc(['manifests', dir, ...flags]);
  expect(await proc.exited).toBe(0);
  const objects = parseAllDocuments(proc.stdout).map((d) => d.toJS() as { kind: string; spec?: Record<string, unknown> });
  const deployment = objects.find((o) => o.kind === 'Deployment') as unknown as {
    spec: { template: { spec: { containers: { env: EnvVar[] }[] } } };
  };
  return deployment.spec.template.spec.containers[0]?.env ?? [];
}

describe('krpc-app manifests --otlp-endpoint', () => {
  let receiver: OtlpReceiver;
  const tracer = testTracer();
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await tracer.shutdown();
  });

  it('without it the pods get no OTEL_* variables (tracing stays off)', async () => {
    const env = await deploymentEnv('samples/greeter', []);
    expect(env.filter((e) => e.name.startsWith('OTEL_'))).toEqual([]);
  });

  it('emits the OTLP env, and an app started with exactly that env exports its spans there, named as the Deployment', async () => {
    const env = await deploymentEnv('samples/greeter', ['--otlp-endpoint', receiver.grpcUrl, '--otlp-protocol', 'grpc']);
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'OTEL_TRACES_EXPORTER', value: 'otlp' },
        { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: receiver.grpcUrl },
        { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'grpc' },
        { name: 'OTEL_SERVICE_NAME', value: 'greeter' },
        { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      ]),
    );
    // what the kubelet would set: the literal values, and the downward API's fields
    const downward: Record<string, string> = {
      'metadata.name': 'greeter-5c8d-x2x9q',
      'metadata.namespace': 'shop',
      'spec.nodeName': 'node-1',
    };
    const podEnv = Object.fromEntries(
      env
        .filter((e) => e.name.startsWith('OTEL_') || e.valueFrom)
        .map((e) => [e.name, e.value ?? downward[e.valueFrom?.fieldRef?.fieldPath ?? ''] ?? '']),
    );
    const app = await startApp('samples/greeter', { ...podEnv, OTEL_BSP_SCHEDULE_DELAY: '50' });
    const client = grpcClient('samples/greeter/proto/helloworld.proto', 'helloworld.Greeter', app.port);
    try {
      const { span } = await tracer.traced('SayHello', (md) => unary(client, 'sayHello', { name: 'k8s' }, md));
      const [server] = await receiver.waitForTrace(span.spanContext().traceId, 1);
      expect(server?.via).toBe('grpc');
      expect(server?.resource).toMatchObject({
        'service.name': 'greeter',
        'k8s.deployment.name': 'greeter',
        'k8s.pod.name': 'greeter-5c8d-x2x9q',
        'k8s.namespace.name': 'shop',
        'k8s.node.name': 'node-1',
      });
    } finally {
      client.close();
      await app.proc.stop();
    }
  }, 90_000);

  it('a malformed endpoint is an error naming the flag', async () => {
    const proc = spawnKrpc(['manifests', 'samples/greeter', '--otlp-endpoint', 'collector:4317']);
    expect(await proc.exited).toBe(1);
    expect(proc.stderr).toMatch(/KRPC_TRACING_INVALID: Invalid --otlp-endpoint "collector:4317"/);
  });
});
