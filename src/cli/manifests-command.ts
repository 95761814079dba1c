import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AutoscalerKind, ManifestFormat } from '../manifests/index.js';
import { defineCommand } from './command.js';
import { autoscalerOption, namespaceOption, verboseOption } from './parse-options.js';

interface ManifestsFlags {
  out?: string;
  format: ManifestFormat;
  autoscaler?: AutoscalerKind;
  namespace?: string;
  adapterRules?: boolean;
  otlpEndpoint?: string;
  otlpProtocol?: string;
  verbose?: boolean;
}

/** `krpc-app manifests [dir]`: the Kubernetes objects that run, probe, drain and autoscale the app. */
export const manifestsCommand = defineCommand<ManifestsFlags>({
  name: 'manifests',
  summary: 'print the Kubernetes objects that run, probe, drain and autoscale the app',
  help: `Usage: krpc-app manifests [dir] [options]

Print the Kubernetes objects for the app in DIR (default: .), from its config and its "deploy"
section: Deployment, Service, ServiceAccount, RBAC for discovery, PodDisruptionBudget, and an
HPA or KEDA ScaledObject on in-flight calls per pod.

Options:
  -o, --out <dir>         write one file per object into this directory instead of stdout
  -f, --format <format>   yaml or json (default: yaml)
  -a, --autoscaler <kind> hpa, keda or none (default: deploy.autoscaler, else hpa)
  -n, --namespace <ns>    namespace of every object (default: deploy.namespace, else default)
      --adapter-rules     print the prometheus-adapter rule (Helm values) that serves the HPA
                          metric, instead
      --otlp-endpoint <url>  turn tracing on in the pods, sending spans to this OpenTelemetry
                          collector (e.g. http://otel-collector.observability:4318)
      --otlp-protocol <p> http/protobuf (default) or grpc (port 4317) for --otlp-endpoint
  -v, --verbose           print stack traces on errors
  -h, --help              show this help
`,
  argument: { name: 'dir', default: '.' },
  options: {
    out: { short: 'o', value: 'dir' },
    format: { short: 'f', value: 'format', choices: ['yaml', 'json'], default: 'yaml' },
    autoscaler: autoscalerOption,
    namespace: namespaceOption,
    adapterRules: {},
    otlpEndpoint: { value: 'url' },
    otlpProtocol: { value: 'protocol', choices: ['grpc', 'http/protobuf'] },
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
    const { manifestFileNames, prometheusAdapterRules, renderManifests, renderObject } = await import('../manifests/index.js');
    const { loadManifests } = await import('./load-manifests.js');
    const { objects } = await loadManifests(dir, flags);
    if (flags.adapterRules) {
      process.stdout.write(renderObject(prometheusAdapterRules(), flags.format));
      return;
    }
    if (flags.out === undefined) {
      process.stdout.write(renderManifests(objects, flags.format));
      return;
    }
    const out = resolve(flags.out);
    mkdirSync(out, { recursive: true });
    const names = manifestFileNames(objects, flags.format);
    for (const [i, object] of objects.entries()) writeFileSync(join(out, names[i] as string), renderObject(object, flags.format));
    process.stdout.write(`krpc-app: wrote ${objects.length} objects to ${out}\n${names.map((n) => `  ${n}\n`).join('')}`);
  },
});
