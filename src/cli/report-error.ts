/**
 * Prints a failure for a person: the code, message and fix; the stack only with --verbose.
 * Async because it imports the errors module on demand (`--help` and usage errors never need it).
 */
export async function reportError(error: unknown, verbose: boolean): Promise<void> {
  const { ConfigurationError } = await import('../errors/index.js');
  if (ConfigurationError.is(error)) {
    process.stderr.write(`krpc-app: error ${error.code}: ${error.message}\n`);
    if (verbose && error.cause !== undefined) process.stderr.write(`cause: ${describe(error.cause, true)}\n`);
    if (verbose) process.stderr.write(`${error.stack ?? ''}\n`);
    else process.stderr.write('  (run with --verbose for the stack trace)\n');
    return;
  }
  process.stderr.write(`krpc-app: error: ${describe(error, verbose)}\n`);
  if (!verbose) process.stderr.write('  (run with --verbose for the stack trace)\n');
}

function describe(error: unknown, verbose: boolean): string {
  if (error instanceof Error) return verbose ? (error.stack ?? error.message) : error.message;
  return String(error);
}
