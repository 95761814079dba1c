import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { ManifestObject } from './manifest-object.js';

/**
 * `yaml` is loaded on the first render, not when the package is imported: every
 * `krpc-app start` imports the root barrel, which exports this module, and never renders.
 */
let yaml: typeof Yaml | undefined;
function loadYaml(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}

/** Output formats of `krpc-app manifests`. */
export type ManifestFormat = 'yaml' | 'json';

/**
 * The objects as one text: multi-document YAML (`---` between objects), or for `json` a `v1`
 * `List` (what `kubectl apply -f` accepts as one JSON document).
 */
export function renderManifests(objects: readonly ManifestObject[], format: ManifestFormat): string {
  if (format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  return objects.map((object) => renderObject(object, 'yaml')).join('---\n');
}

/** One object as YAML or JSON text. */
export function renderObject(object: unknown, format: ManifestFormat): string {
  return format === 'json'
    ? `${JSON.stringify(object, null, 2)}\n`
    : loadYaml().stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * File names for `--out DIR`, numbered in apply order so `kubectl apply -f DIR` keeps it:
 * `01-serviceaccount-greeter.yaml`.
 */
export function manifestFileNames(objects: readonly ManifestObject[], format: ManifestFormat): string[] {
  const width = Math.max(2, String(objects.length).length);
  return objects.map((o, i) => {
    const namespaced = o.metadata.namespace ? `${o.metadata.namespace}-` : '';
    return `${String(i + 1).padStart(width, '0')}-${o.kind.toLowerCase()}-${namespaced}${o.metadata.name}.${format}`;
  });
}
