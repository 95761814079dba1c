import { UsageError } from '../usage-error.js';

/** A Kubernetes DNS-1123 label: what the Deployment, Service and container are called. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks that NAME can be both the npm package name (unscoped, lower case, URL-safe) and a
 * Kubernetes DNS-1123 label (at most 63 letters, digits and inner dashes): the generated manifests
 * name every object after it.
 *
 * @example
 * validateProjectName('My_App'); // throws UsageError: … use lower-case letters, digits and '-' (e.g. "my-app")
 */
export function validateProjectName(name: string): void {
  if (DNS_LABEL.test(name) && name.length <= 63 && !['node_modules', 'favicon.ico'].includes(name)) return;
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
  const hint = suggestion && DNS_LABEL.test(suggestion) ? ` (e.g. "${suggestion}")` : '';
  throw new UsageError(
    `"${name}" cannot name the project: it must be an npm package name and a Kubernetes name (DNS-1123 label): ` +
      `at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit${hint}`,
  );
}
