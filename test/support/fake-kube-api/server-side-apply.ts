import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'yaml';
import type { KubeObject, ObjectStore } from './object-store.js';

/** One served resource, as API discovery lists it. */
export interface ApiResource {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** The resources the fake serves: core, the kinds `krpc-app manifests` writes, and the KEDA / prometheus-operator CRDs. */
export const API_RESOURCES: readonly ApiResource[] = [
  { group: 'core', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: 'core', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { group: 'core', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: 'core', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true },
  { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true },
  { group: 'keda.sh', version: 'v1alpha1', resource: 'scaledobjects', kind: 'ScaledObject', namespaced: true },
  { group: 'monitoring.coreos.com', version: 'v1', resource: 'servicemonitors', kind: 'ServiceMonitor', namespaced: true },
];

/** A server-side apply request the fake received. */
export interface ApplyRequest {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly fieldManager: string | undefined;
  readonly dryRun: string | undefined;
  readonly force: string | undefined;
  /** The parsed body (YAML or JSON). */
  readonly body: KubeObject;
  /** The HTTP status answered. */
  readonly status: number;
}

/** An injected apply failure. */
export interface ApplyRejection {
  readonly kind: string;
  readonly name?: string;
  readonly code: 403 | 409 | 422;
  readonly message?: string;
}

const APPLY = 'application/apply-patch+yaml';
const DISCOVERY = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/;
const OBJECT = /^\/(?:api|apis\/([^/]+))\/([^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)\/([^/]+)$/;

/**
 * Server-side apply and API discovery for the fake kube-api, the way the real server answers
 * them: `GET /api/v1` and `/apis/GROUP/VERSION` list resources (404 for an uninstalled group);
 * `PATCH` with `application/apply-patch+yaml` needs `fieldManager` (else 400), creates (201) or
 * updates (200) the object, stores nothing with `dryRun=All`, and answers injected 403/409/422
 * as `Status` objects with the real messages' shape.
 */
export class ServerSideApply {
  readonly applied: ApplyRequest[] = [];
  private readonly rejections: ApplyRejection[] = [];
  private readonly missingGroups = new Set<string>();

  constructor(private readonly store: ObjectStore) {}

  /** Makes every apply of `kind` (and `name`, if given) fail with `code`. */
  reject(rejection: ApplyRejection): void {
    this.rejections.push(rejection);
  }

  /** Serves `group` again / no longer (as if its CRDs were uninstalled). */
  setGroupInstalled(group: string, installed: boolean): void {
    if (installed) this.missingGroups.delete(group);
    else this.missingGroups.add(group);
  }

  /** Clears recorded requests, rejections and missing groups. */
  reset(): void {
    this.applied.length = 0;
    this.rejections.length = 0;
    this.missingGroups.clear();
  }

  /** Answers discovery GETs and apply PATCHes; false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: () => Promise<string>): boolean {
    const discovery = req.method === 'GET' ? DISCOVERY.exec(url.pathname) : null;
    if (discovery) {
      this.discover(res, discovery[1] ? 'core' : (discovery[2] as string), discovery[1] ?? (discovery[3] as string));
      return true;
    }
    if (req.method !== 'PATCH' || !(req.headers['content-type'] ?? '').startsWith(APPLY)) return false;
    void body().then((text) => this.apply(req, res, url, text));
    return true;
  }

  private discover(res: ServerResponse, group: string, version: string): void {
    const resources = API_RESOURCES.filter((r) => r.group === group && r.version === version && !this.missingGroups.has(group));
    if (resources.length === 0) {
      sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const groupVersion = group === 'core' ? version : `${group}/${version}`;
    send(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion,
      resources: resources.map((r) => ({
        name: r.resource,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      })),
    });
  }

  private apply(req: IncomingMessage, res: ServerResponse, url: URL, text: string): void {
    const q = url.searchParams;
    const record = (status: number, body: KubeObject) =>
      this.applied.push({
        path: url.pathname,
        contentType: req.headers['content-type'],
        fieldManager: q.get('fieldManager') ?? undefined,
        dryRun: q.get('dryRun') ?? undefined,
        force: q.get('force') ?? undefined,
        body,
        status,
      });
    const route = OBJECT.exec(url.pathname);
    const body = parse(text) as KubeObject;
    const resource =
      route && API_RESOURCES.find((r) => r.group === (route[1] ?? 'core') && r.version === route[2] && r.resource === route[4]);
    if (!route || !resource || this.missingGroups.has(resource.group)) {
      record(404, body);
      sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const [, , , namespace = '', , name = ''] = route;
    const qualified = `${resource.resource}${resource.group === 'core' ? '' : `.${resource.group}`}`;
    if (!q.get('fieldManager')) {
      record(400, body);
      sendStatus(res, 400, 'BadRequest', 'PATCH /apply: fieldManager is required for apply requests');
      return;
    }
    const rejection = this.rejections.find((r) => r.kind === resource.kind && (r.name === undefined || r.name === name));
    const invalid = body.kind !== resource.kind || body.metadata?.name !== name;
    if (rejection || invalid) {
      const code = rejection?.code ?? 422;
      record(code, body);
      const defaults: Record<number, [string, string]> = {
        403: [
          'Forbidden',
          `${qualified} "${name}" is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "${resource.resource}" in API group "${resource.group === 'core' ? '' : resource.group}" in the namespace "${namespace}"`,
        ],
        409: ['Conflict', `Apply failed with 1 conflict: conflict with "kubectl-edit" using ${body.apiVersion}: .spec.replicas`],
        422: [
          'Invalid',
          `${resource.kind}.${resource.group === 'core' ? '' : resource.group} "${name}" is invalid: ${invalid ? 'metadata.name: Invalid value: the name of the object does not match the name on the URL' : 'spec: Invalid value'}`,
        ],
      };
      const [reason, message] = defaults[code] as [string, string];
      sendStatus(res, code, reason, rejection?.message ?? message, {
        name,
        group: resource.group === 'core' ? '' : resource.group,
        kind: resource.resource,
      });
      return;
    }
    const collection = `${resource.group}/${resource.version}/${resource.resource}`;
    const existing = this.store.get(collection, namespace, name);
    const code = existing ? 200 : 201;
    record(code, body);
    const object: KubeObject = {
      ...body,
      metadata: {
        ...body.metadata,
        namespace,
        uid: (existing?.metadata.uid as string | undefined) ?? `uid-${name}`,
        managedFields: [{ manager: q.get('fieldManager'), operation: 'Apply', apiVersion: body.apiVersion }],
      },
    };
    if (q.get('dryRun') === 'All')
      send(res, code, { ...object, metadata: { ...object.metadata, resourceVersion: existing?.metadata.resourceVersion ?? '0' } });
    else send(res, code, this.store.upsert(collection, object));
  }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: ServerResponse, code: number, reason: string, message: string, details?: Record<string, string>): void {
  send(res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}
