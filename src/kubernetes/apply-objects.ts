import type { KubeConfigSource } from './kube-client.js';

/** The server-side-apply field manager `krpc-app deploy` uses. */
export const FIELD_MANAGER = 'krpc-app';

/** An object to apply: any Kubernetes object as JSON with apiVersion, kind and a name. */
export interface ApplicableObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** Options of {@link applyObjects}. */
export interface ApplyObjectsOptions extends KubeConfigSource {
  /** Server dry run (`dryRun=All`): admission and validation run, nothing is stored. */
  readonly dryRun?: boolean;
  /** Take over fields another manager owns (`force=true`) instead of failing with 409 Conflict. */
  readonly force?: boolean;
  /** Field manager (default {@link FIELD_MANAGER}). */
  readonly fieldManager?: string;
  /** Called after each object, in order. */
  readonly onResult?: (result: ApplyResult) => void;
}

/** What happened to one object. */
export type ApplyResult =
  | { readonly object: ApplicableObject; readonly ok: true; readonly action: 'created' | 'configured'; readonly dryRun: boolean }
  | {
      readonly object: ApplicableObject;
      readonly ok: false;
      /** HTTP status from the API server (undefined when the request never got an answer). */
      readonly status: number | undefined;
      /** The `Status` reason (`Forbidden`, `Invalid`, `Conflict`…), or `UnknownKind` / `RequestFailed`. */
      readonly reason: string;
      readonly message: string;
    };

/**
 * Applies `objects` in order with server-side apply (`PATCH`, `application/apply-patch+yaml`,
 * `fieldManager=krpc-app`), like `kubectl apply --server-side`. Every object is attempted; a
 * failure (403 from RBAC, 422 invalid, 409 conflict, a kind whose CRD is missing) is reported in its
 * result with the API's reason and message. `created` / `configured` come from the API's 201 / 200.
 * `@kubernetes/client-node` is imported only when this runs.
 *
 * @example
 * ```ts
 * const results = await applyObjects(objects, { dryRun: true });
 * for (const r of results) console.log(describeApplyResult(r));
 * ```
 */
export async function applyObjects(objects: readonly ApplicableObject[], options: ApplyObjectsOptions = {}): Promise<ApplyResult[]> {
  const k8s = await import('@kubernetes/client-node');
  let kc = options.kubeConfig;
  if (!kc) {
    kc = new k8s.KubeConfig();
    if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
    else kc.loadFromDefault();
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('No current cluster in the kubeconfig (set a context with kubectl config use-context)');
  let lastStatus = 0;
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (context) => context,
        post: async (response) => {
          lastStatus = response.httpStatusCode;
          return response;
        },
      },
    ],
  });
  const api = new k8s.KubernetesObjectApi(configuration);
  const dryRun = options.dryRun ? 'All' : undefined;
  const results: ApplyResult[] = [];
  for (const object of objects) {
    let result: ApplyResult;
    try {
      await api.patch(
        structuredClone(object) as Parameters<typeof api.patch>[0],
        undefined,
        dryRun,
        options.fieldManager ?? FIELD_MANAGER,
        options.force,
        k8s.PatchStrategy.ServerSideApply,
      );
      result = { object, ok: true, action: lastStatus === 201 ? 'created' : 'configured', dryRun: options.dryRun === true };
    } catch (error) {
      result = { object, ok: false, ...failure(object, error) };
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** One line like kubectl's: `deployment.apps/greeter created (server dry run)` or the failure with its reason. */
export function describeApplyResult(result: ApplyResult): string {
  const { kind, apiVersion, metadata } = result.object;
  const group = apiVersion.includes('/') ? `.${apiVersion.split('/')[0]}` : '';
  const ref = `${kind.toLowerCase()}${group}/${metadata.name}${metadata.namespace ? ` (namespace ${metadata.namespace})` : ''}`;
  if (result.ok) return `${ref} ${result.action}${result.dryRun ? ' (server dry run)' : ''}`;
  return `${ref} failed: ${result.status ?? 'no response'} ${result.reason}: ${result.message}`;
}

function failure(object: ApplicableObject, error: unknown): { status: number | undefined; reason: string; message: string } {
  const { code, body } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; body?: unknown };
  const text = error instanceof Error ? error.message : String(error);
  const missingKind = `${object.apiVersion} ${object.kind} is not served by this cluster (is its CRD installed? KEDA for ScaledObject, prometheus-operator for ServiceMonitor)`;
  if (text.startsWith('Unrecognized API version and kind')) return { status: undefined, reason: 'UnknownKind', message: missingKind };
  if (typeof code !== 'number') return { status: undefined, reason: 'RequestFailed', message: text };
  if (code === 404 && text.startsWith('Failed to fetch resource metadata'))
    return { status: 404, reason: 'UnknownKind', message: missingKind };
  const status = (typeof body === 'string' ? parseJson(body) : body) as { reason?: string; message?: string } | undefined;
  return { status: code, reason: status?.reason ?? `HTTP ${code}`, message: status?.message ?? (typeof body === 'string' ? body : text) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
