import { parseCommandLine } from './parse-command-line.js';
import { krpcApp } from './program.js';
import { reportError } from './report-error.js';

const invocation = parseCommandLine(krpcApp, process.argv.slice(2), helpWidth());
if (invocation.kind === 'print') {
  process[invocation.stream].write(invocation.text);
  process.exitCode = invocation.exitCode;
} else {
  try {
    await invocation.command.run(invocation.argument, invocation.flags);
  } catch (error) {
    await reportError(error, invocation.flags.verbose === true);
    process.exit(1);
  }
}

/** Help wraps to the terminal, or to 80 columns when piped (as commander did). */
function helpWidth(): number {
  return process.stdout.isTTY && process.stdout.columns > 0 ? process.stdout.columns : 80;
}
