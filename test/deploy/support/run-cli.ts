import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root and the built CLI (the test command runs `npm run build` first). */
export const ROOT = resolve('.');
export const BIN = join(ROOT, 'bin', 'krpc-app.js');

/** Runs `krpc-app ARGS` asynchronously (a fake API server in this process must keep answering). */
export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: { ...process.env, KRPC_DEPLOY: '', KUBECONFIG: '/nonexistent', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}
