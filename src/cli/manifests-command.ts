import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import type { ManifestFormat } from '../index.js';

interface ManifestsFlags {
  out?: string;
  format: ManifestFormat;
  namespace?: string;
  autoscaler?: string;
  adapterRules?: boolean;
  verbose?: boolean;
}

/** `krpc-app manifests [dir]`: the Kubernetes objects that run, probe, drain and autoscale the app. */
export function registerManifestsCommand(program: Command, run: (task: () => Promise<void>, verbose: boolean) => void): void {
  program
    .command('manifests')
    .description('print the Kubernetes objects for the app in DIR (from its config and "deploy" section)')
    .argument('[dir]', 'app directory', '.')
    .option('-o, --out <dir>', 'write one file per object into this directory instead of stdout')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .addOption(new Option('-a, --autoscaler <kind>', 'autoscaler (default: deploy.autoscaler, else hpa)').choices(['hpa', 'keda', 'none']))
    .option('-n, --namespace <namespace>', 'namespace of every object (default: deploy.namespace, else default)')
    .option('--adapter-rules', 'print the prometheus-adapter rule (Helm values) that serves the HPA metric, instead')
    .option('-v, --verbose', 'print stack traces on errors')
    .action((dir: string, flags: ManifestsFlags) => {
      run(async () => {
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
      }, flags.verbose === true);
    });
}
