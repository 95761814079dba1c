import { parseCommandLine } from './parse-command-line.js';
import { krpcApp } from './program.js';
import { reportError } from './report-error.js';

const invocation = parseCommandLine(krpcApp, process.argv.slice(2));
if (invocation.kind === 'print') {
  process[invocation.stream].write(invocation.text);
  process.exitCode = invocation.exitCode;
} else {
  try {
    await invocation.command.run(invocation.argument, invocation.flags, invocation.rest);
  } catch (error) {
    await reportError(error, invocation.flags.verbose === true);
    process.exit(1);
  }
}
