// What the scale loop takes from `krpc-app manifests`, run as users run it: the HPA object (target,
// bounds, behavior), the Deployment (its env: drain delay, shutdown timeout; its grace period), the
// prometheus-adapter rule and the KEDA trigger's PromQL. Nothing here retypes a query: the
// adapter's metricsQuery template is expanded the way prometheus-adapter expands it.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KRPC_APP, ROOT } from '../fault-cluster/children.mjs';

const run = promisify(execFile);

/** The autoscale fixture: the fault greeter with a deploy section (min 1, max 6, target 10). */
export const AUTOSCALE_APP = 'test/reliability/fixtures/autoscale-greeter';

async function manifests(app, args, deploy) {
  const env = { ...process.env, ...(deploy ? { KRPC_DEPLOY: JSON.stringify(deploy) } : {}) };
  const { stdout } = await run(process.execPath, [KRPC_APP, 'manifests', join(ROOT, app), '-f', 'json', ...args], { cwd: ROOT, env });
  return JSON.parse(stdout);
}

/**
 * The generated objects of `app` (a `deploy` object replaces its deploy section, through KRPC_DEPLOY).
 * @param {{ app?: string, deploy?: object }} [options]
 */
export async function generatedAutoscaling({ app = AUTOSCALE_APP, deploy } = {}) {
  const list = await manifests(app, [], deploy);
  const objects = list.items ?? [list];
  const find = (kind) => {
    const found = objects.find((o) => o.kind === kind);
    if (!found) throw new Error(`krpc-app manifests wrote no ${kind} for ${app}`);
    return found;
  };
  const hpa = find('HorizontalPodAutoscaler');
  const deployment = find('Deployment');
  const adapter = await manifests(app, ['--adapter-rules'], deploy);
  const keda = await manifests(app, ['--autoscaler', 'keda'], deploy);
  const scaledObject = (keda.items ?? [keda]).find((o) => o.kind === 'ScaledObject');
  const container = deployment.spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
  return {
    hpa,
    deployment,
    namespace: hpa.metadata.namespace,
    name: hpa.metadata.name,
    env,
    graceMs: deployment.spec.template.spec.terminationGracePeriodSeconds * 1000,
    adapterRule: adapter.rules.custom[0],
    kedaQuery: scaledObject?.spec.triggers.find((t) => t.type === 'prometheus')?.metadata.query,
  };
}

/**
 * The PromQL prometheus-adapter sends for a `pods` metric request: the rule's metricsQuery with
 * `<<.Series>>` the series name, `<<.LabelMatchers>>` the namespace and pod-name matchers of
 * the resource overrides, `<<.GroupBy>>` the pod label.
 * @param {{ seriesQuery: string, metricsQuery: string, resources: { overrides: Record<string, { resource: string }> } }} rule
 * @param {{ namespace: string, pods: string[] }} request
 */
export function adapterQuery(rule, { namespace, pods }) {
  const series = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(rule.seriesQuery)?.[1];
  const labelFor = (resource) => Object.entries(rule.resources.overrides).find(([, v]) => v.resource === resource)?.[0];
  const namespaceLabel = labelFor('namespace');
  const podLabel = labelFor('pod');
  if (!series || !namespaceLabel || !podLabel) throw new Error(`cannot read the adapter rule ${JSON.stringify(rule)}`);
  const matchers = `${namespaceLabel}="${namespace}",${podLabel}=~"${pods.join('|')}"`;
  return rule.metricsQuery
    .replaceAll('<<.Series>>', series)
    .replaceAll('<<.LabelMatchers>>', matchers)
    .replaceAll('<<.GroupBy>>', podLabel);
}
