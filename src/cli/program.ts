import { readFileSync } from 'node:fs';
import type { Command } from './command.js';
import { deployCommand } from './deploy-command.js';
import { manifestsCommand } from './manifests-command.js';
import { startCommand } from './start-command.js';
import { typesCommand } from './types-command.js';

/** A command-line program: its name, what it is for, its version and its commands. */
export interface Program {
  readonly name: string;
  readonly description: string;
  /** Read only for `--version`. */
  readonly version: () => string;
  readonly commands: readonly Command[];
}

/**
 * `krpc-app`. Each command module defines its options only and imports what it needs when it runs:
 * `--help` loads no framework module, and `start` none of the apply/manifest-loading code of `deploy`.
 */
export const krpcApp: Program = {
  name: 'krpc-app',
  description: 'Run KubernetesRPC apps: decorated gRPC services that Kubernetes can probe, drain, balance and autoscale.',
  version: () => packageVersion(),
  commands: [startCommand, typesCommand, manifestsCommand, deployCommand],
};

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
