import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AutoscalerKind, ManifestFormat } from '../index.js';
import { defineCommand } from './command.js';
import { autoscalerOption, namespaceOption, verboseOption } from './parse-options.js';

interface ManifestsFlags {
  out?: string;
  format: ManifestFormat;
  autoscaler?: AutoscalerKind;
  namespace?: string;
  adapterRules?: boolean;
  verbose?: boolean;
}

/** `krpc-app manifests [dir]`: the Kubernetes objects that run, probe, drain and autoscale the app. */
export const manifestsCommand = defineCommand<ManifestsFlags>({
  name: 'manifests',
  description: 'print the Kubernetes objects for the app in DIR (from its config and "deploy" section)',
  argument: { name: 'dir', description: 'app directory', default: '.' },
  options: {
    out: { short: 'o', value: 'dir', description: 'write one file per object into this directory instead of stdout' },
    format: { short: 'f', value: 'format', description: 'output format', choices: ['yaml', 'json'], default: 'yaml' },
    autoscaler: autoscalerOption,
    namespace: namespaceOption,
    adapterRules: { description: 'print the prometheus-adapter rule (Helm values) that serves the HPA metric, instead' },
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
    const { manifestFileNames, prometheusAdapterRules, renderManifests, renderObject } = await import('../index.js');
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
