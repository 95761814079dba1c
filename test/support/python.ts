import { execFileSync } from 'node:child_process';

/** Debian's python3 (not a pyenv one), which is where `python3-grpcio` installs. */
export const PYTHON = '/usr/bin/python3';

/** True when `/usr/bin/python3` can import the given modules. */
export function pythonHas(...modules: string[]): boolean {
  try {
    execFileSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a suite that needs a real peer may run. Missing on a developer's machine: skip with a
 * loud message. With `KRPC_REQUIRE_PEERS=1` (CI), a missing peer is an error instead.
 */
export function peerAvailable(name: string, available: boolean, install: string): boolean {
  if (available) return true;
  const message = `PEER MISSING: ${name} is not installed, so its tests are SKIPPED. Install it with: ${install}`;
  if (process.env.KRPC_REQUIRE_PEERS === '1') throw new Error(`${message} (KRPC_REQUIRE_PEERS=1 turns this skip into a failure)`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
  return false;
}
