import { type Command, Option } from 'commander';

interface DeployFlags {
  dryRun?: boolean;
  namespace?: string;
  autoscaler?: string;
  kubeconfig?: string;
  forceConflicts?: boolean;
  verbose?: boolean;
}

/** `krpc-app deploy [dir]`: server-side apply of the objects `manifests` prints. */
export function registerDeployCommand(program: Command, run: (task: () => Promise<void>, verbose: boolean) => void): void {
  program
    .command('deploy')
    .description('apply the objects of `krpc-app manifests` with server-side apply (field manager krpc-app)')
    .argument('[dir]', 'app directory', '.')
    .option('--dry-run', 'server dry run: the API server validates and admits, nothing is stored')
    .option('-n, --namespace <namespace>', 'namespace of every object (default: deploy.namespace, else default)')
    .addOption(new Option('-a, --autoscaler <kind>', 'autoscaler (default: deploy.autoscaler, else hpa)').choices(['hpa', 'keda', 'none']))
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, else in-cluster)')
    .option('--force-conflicts', 'take over fields another field manager owns instead of failing with 409')
    .option('-v, --verbose', 'print stack traces on errors')
    .action((dir: string, flags: DeployFlags) => {
      run(async () => {
        const { applyObjects, describeApplyResult } = await import('../kubernetes/index.js');
        const { loadManifests } = await import('./load-manifests.js');
        const { objects } = await loadManifests(dir, flags);
        const results = await applyObjects(objects, {
          dryRun: flags.dryRun === true,
          force: flags.forceConflicts === true ? true : undefined,
          kubeconfigPath: flags.kubeconfig,
          onResult: (result) => {
            if (result.ok) process.stdout.write(`${describeApplyResult(result)}\n`);
            else process.stderr.write(`krpc-app: ${describeApplyResult(result)}\n${JSON.stringify(result.object)}\n`);
          },
        });
        const failed = results.filter((r) => !r.ok).length;
        if (failed > 0) {
          process.stderr.write(`krpc-app: ${failed} of ${results.length} objects failed to apply\n`);
          process.exitCode = 1;
        }
      }, flags.verbose === true);
    });
}
