import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRootModule } from '../app/index.js';
import { type AppConfig, loadAppConfig } from '../config/index.js';
import { type DeploySpec, findKubernetesTargets, generateManifests, type ManifestObject, resolveDeploySpec } from '../manifests/index.js';

/** Flags `manifests` and `deploy` share. */
export interface ManifestFlags {
  namespace?: string;
  autoscaler?: string;
  otlpEndpoint?: string;
  otlpProtocol?: string;
}

/** The app's objects, as `krpc-app manifests` prints them and `krpc-app deploy` applies them. */
export interface LoadedManifests {
  readonly config: AppConfig;
  readonly spec: DeploySpec;
  readonly objects: ManifestObject[];
}

/**
 * Loads the app's config file (not the environment: the objects describe the app as it ships,
 * not whatever `KRPC_…` variables the operator's shell has), validates the deploy section (before
 * anything else, so a bad one fails fast),
 * then — unless `deploy.discovery` says it — imports the built root module to find
 * `kubernetes:///` clients, and generates the objects.
 */
export async function loadManifests(dir: string, flags: ManifestFlags): Promise<LoadedManifests> {
  const config = await loadAppConfig(dir, { env: {} });
  const options = {
    namespace: flags.namespace,
    autoscaler: flags.autoscaler,
    appName: packageName(config.dir),
    otlpEndpoint: flags.otlpEndpoint,
    otlpProtocol: flags.otlpProtocol,
  };
  resolveDeploySpec(config, options);
  const declared = config.deploy?.discovery;
  const kubernetesTargets =
    typeof declared === 'boolean' ? [] : findKubernetesTargets(await loadRootModule(config.dir, config.module)).map((c) => c.target);
  const spec = resolveDeploySpec(config, { ...options, kubernetesTargets });
  return { config, spec, objects: generateManifests(spec) };
}

function packageName(dir: string): string | undefined {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
