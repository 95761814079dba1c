import { parseCommandLine } from './parse-command-line.js';
import { krpcApp } from './program.js';
import { reportError } from './report-error.js';
import { UsageError } from './usage-error.js';

const invocation = parseCommandLine(krpcApp, process.argv.slice(2));
if (invocation.kind === 'print') {
  process[invocation.stream].write(invocation.text);
  process.exitCode = invocation.exitCode;
} else {
  try {
    await invocation.command.run(invocation.argument, invocation.flags, invocation.rest);
  } catch (error) {
    // a mistake only the command can see (`call` with a request that is not JSON) is still a usage error
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n(run ${krpcApp.name} --help for usage)\n`);
      process.exit(2);
    }
    await reportError(error, invocation.flags.verbose === true);
    process.exit(1);
  }
}
