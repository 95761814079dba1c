import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './krpc-process.js';

/**
 * No network and no install: the project's node_modules links this repository as kubernetes-rpc,
 * and its installed tools. For tests of the watch loop; the test of `new` itself installs the
 * packed tarball instead.
 */
export function linkDependencies(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'kubernetes-rpc'));
  for (const name of ['@grpc', 'typescript', 'vitest', '@types/node'])
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
}
