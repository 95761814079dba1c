import type { AutoscalerKind } from '../index.js';
import { defineCommand } from './command.js';
import { autoscalerOption, namespaceOption, verboseOption } from './parse-options.js';

interface DeployFlags {
  dryRun?: boolean;
  namespace?: string;
  autoscaler?: AutoscalerKind;
  kubeconfig?: string;
  forceConflicts?: boolean;
  verbose?: boolean;
}

/** `krpc-app deploy [dir]`: server-side apply of the objects `manifests` prints. */
export const deployCommand = defineCommand<DeployFlags>({
  name: 'deploy',
  description: 'apply the objects of `krpc-app manifests` with server-side apply (field manager krpc-app)',
  argument: { name: 'dir', description: 'app directory', default: '.' },
  options: {
    dryRun: { description: 'server dry run: the API server validates and admits, nothing is stored' },
    namespace: namespaceOption,
    autoscaler: autoscalerOption,
    kubeconfig: { value: 'file', description: 'kubeconfig file (default: KUBECONFIG, ~/.kube/config, else in-cluster)' },
    forceConflicts: { description: 'take over fields another field manager owns instead of failing with 409' },
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
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
  },
});
