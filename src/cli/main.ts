import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
// Each command module defines its options only and imports what it needs when it runs: `--help`
// loads no framework module, and `start` none of the apply/manifest-loading code of `deploy`.
import { registerDeployCommand } from './deploy-command.js';
import { registerManifestsCommand } from './manifests-command.js';
import { reportError } from './report-error.js';
import { registerStartCommand } from './start-command.js';
import { registerTypesCommand } from './types-command.js';

const USAGE_ERRORS = new Set([
  'commander.unknownOption',
  'commander.unknownCommand',
  'commander.excessArguments',
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.invalidArgument',
  'commander.missingMandatoryOptionValue',
]);

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const run = (task: () => Promise<void>, verbose: boolean): void => {
  task().catch(async (error: unknown) => {
    await reportError(error, verbose);
    process.exit(1);
  });
};

const program = new Command('krpc-app')
  .description('Run KubernetesRPC apps: decorated gRPC services that Kubernetes can probe, drain, balance and autoscale.')
  .version(pkg.version, '-V, --version')
  .showHelpAfterError('(run krpc-app --help for usage)')
  .exitOverride();
registerStartCommand(program, run);
registerTypesCommand(program, run);
registerManifestsCommand(program, run);
registerDeployCommand(program, run);
for (const command of program.commands) command.exitOverride().showHelpAfterError('(run krpc-app --help for usage)');

try {
  if (process.argv.length <= 2) {
    program.outputHelp({ error: true });
    process.exit(2);
  }
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') process.exit(0);
    process.exit(USAGE_ERRORS.has(error.code) ? 2 : 1);
  }
  await reportError(error, process.argv.includes('--verbose'));
  process.exit(1);
}
