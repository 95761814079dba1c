import type { AutoscalerKind } from '../manifests/index.js';
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
  summary: 'apply those objects with server-side apply (field manager krpc-app)',
  help: `Usage: krpc-app deploy [dir] [options]

Apply the objects \`krpc-app manifests\` prints for the app in DIR (default: .) with server-side
apply, field manager krpc-app; exits 1 if any object fails.

Options:
      --dry-run           server dry run: the API server validates and admits, nothing is stored
  -n, --namespace <ns>    namespace of every object (default: deploy.namespace, else default)
  -a, --autoscaler <kind> hpa, keda or none (default: deploy.autoscaler, else hpa)
      --kubeconfig <file> kubeconfig file (default: KUBECONFIG, ~/.kube/config, else in-cluster)
      --force-conflicts   take over fields another field manager owns instead of failing with 409
  -v, --verbose           print stack traces on errors
  -h, --help              show this help
`,
  argument: { name: 'dir', default: '.' },
  options: {
    dryRun: {},
    namespace: namespaceOption,
    autoscaler: autoscalerOption,
    kubeconfig: { value: 'file' },
    forceConflicts: {},
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
