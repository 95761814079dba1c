import { readFileSync } from 'node:fs';
import { callCommand } from './call-command.js';
import { argumentsUsage, type Command } from './command.js';
import { deployCommand } from './deploy-command.js';
import { devCommand } from './dev-command.js';
import { manifestsCommand } from './manifests-command.js';
import { newCommand } from './new-command.js';
import { startCommand } from './start-command.js';
import { typesCommand } from './types-command.js';

/** A command-line program: its name, its help, its version and its commands. */
export interface Program {
  readonly name: string;
  /** What `krpc-app --help` prints. */
  readonly help: string;
  /** Read only for `--version`. */
  readonly version: () => string;
  readonly commands: readonly Command[];
}

const commands = [newCommand, devCommand, startCommand, typesCommand, manifestsCommand, deployCommand, callCommand];

/** One line per command: its name and every argument, then its summary, in one column. */
function commandLines(): string {
  const rows = [...commands.map((c) => [`${c.name} ${argumentsUsage(c)}`, c.summary]), ['help [command]', "show a command's options"]];
  const width = Math.max(...rows.map(([usage]) => (usage as string).length)) + 2;
  return rows.map(([usage, summary]) => `  ${(usage as string).padEnd(width)}${summary}`).join('\n');
}

/** `krpc-app`. Each command module imports what it needs only when it runs. */
export const krpcApp: Program = {
  name: 'krpc-app',
  help: `Usage: krpc-app <command> [options]

Run KubernetesRPC apps: decorated gRPC services that Kubernetes can probe, drain, balance and
autoscale.

Commands:
${commandLines()}

Options:
  -h, --help       show this help
  -V, --version    print the version

Run \`krpc-app <command> --help\` for a command's options.
`,
  version: () => packageVersion(),
  commands,
};

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
