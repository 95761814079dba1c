import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError } from '../../errors/index.js';

/** What `krpc-app dev` needs to know about a project before it watches it. */
export interface DevProject {
  readonly dir: string;
  /** The project's own `tsc` (from its `typescript` dependency). */
  readonly tsc: string;
  /** The tsconfig dev compiles with: `tsconfig.build.json` when the project has one (sources only, as the getting-started guide writes it), else `tsconfig.json`. */
  readonly tsconfig: string;
  /** Where tsc emits (`compilerOptions.outDir` as tsc resolves it, extends included). */
  readonly outDir: string;
}

/**
 * Checks that `dir` is a TypeScript project (package.json and tsconfig.json) with `typescript`
 * installed, and asks its tsc where the build tsconfig emits (`tsc --showConfig`).
 */
export async function findProject(dir: string): Promise<DevProject> {
  const appDir = resolve(dir);
  for (const file of ['package.json', 'tsconfig.json']) {
    if (!existsSync(join(appDir, file))) {
      throw new ConfigurationError('KRPC_NOT_A_PROJECT', `${appDir} is not a TypeScript project: it has no ${file}`, {
        fix: 'run krpc-app dev in (or pass) the directory that krpc-app new wrote, which holds package.json and tsconfig.json',
      });
    }
  }
  const tsc = projectTsc(appDir);
  const build = join(appDir, 'tsconfig.build.json');
  const tsconfig = existsSync(build) ? build : join(appDir, 'tsconfig.json');
  const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig, '--showConfig'], { cwd: appDir }).catch(
    (error: { stdout?: string; message: string }) => {
      throw new ConfigurationError('KRPC_NOT_A_PROJECT', `tsc cannot read ${tsconfig}: ${error.stdout || error.message}`, {
        fix: `fix ${tsconfig} (tsc -p ${tsconfig} shows the problem)`,
      });
    },
  );
  const { compilerOptions } = JSON.parse(stdout) as { compilerOptions?: { outDir?: string } };
  if (compilerOptions?.outDir === undefined) {
    throw new ConfigurationError('KRPC_NOT_A_PROJECT', `${tsconfig} sets no compilerOptions.outDir`, {
      fix: 'set "outDir" (e.g. "dist") so the built JavaScript lands apart from the sources; krpc.config.json "module" points into it',
    });
  }
  return { dir: appDir, tsc, tsconfig, outDir: resolve(appDir, compilerOptions.outDir) };
}

function projectTsc(appDir: string): string {
  let manifest: string;
  try {
    manifest = createRequire(join(appDir, 'package.json')).resolve('typescript/package.json');
  } catch (error) {
    throw new ConfigurationError('KRPC_TYPESCRIPT_NOT_FOUND', `typescript is not installed in ${appDir}`, {
      fix: "install the project's dependencies (npm install); krpc-app dev compiles with the project's own tsc",
      cause: error,
    });
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> };
  const tsc = bin?.tsc;
  if (tsc === undefined)
    throw new ConfigurationError('KRPC_TYPESCRIPT_NOT_FOUND', `${manifest} declares no tsc bin`, { fix: 'reinstall typescript' });
  return join(dirname(manifest), tsc);
}
