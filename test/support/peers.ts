import { spawnSync } from 'node:child_process';

/**
 * Decides whether a suite that needs a system tool (a "peer": prometheus, python3-grpcio, h2load…)
 * runs. Available → true. Missing → false with a loud warning, so the suite is skipped; but with
 * `KRPC_REQUIRE_PEERS=1` a missing peer throws, failing the run instead of skipping silently.
 *
 * @example
 * ```ts
 * const hasPrometheus = requirePeer('prometheus', commandSucceeds('/usr/bin/prometheus', ['--version']));
 * describe.skipIf(!hasPrometheus)('with a real Prometheus', () => { … });
 * ```
 */
export function requirePeer(name: string, available: boolean, hint = ''): boolean {
  if (available) return true;
  const message = `test peer "${name}" is not available${hint ? ` (${hint})` : ''}`;
  if (process.env.KRPC_REQUIRE_PEERS === '1') throw new Error(`${message}; KRPC_REQUIRE_PEERS=1 makes a missing peer a failure`);
  console.warn(`\n**********\n* SKIPPING: ${message}\n* (set KRPC_REQUIRE_PEERS=1 to make this fail)\n**********\n`);
  return false;
}

/** True when `command args…` runs and exits 0 within 20 s (e.g. `python3 -c "import grpc"`). */
export function commandSucceeds(command: string, args: readonly string[] = []): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 20_000 });
  return result.status === 0;
}
