import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigurationError, closest } from '../errors/index.js';
import { type Constructor, getModuleMetadata } from '../metadata/index.js';

/**
 * Imports the built root module named by the config's `module` (`./dist/app.module.js#AppModule`;
 * without `#Export`, the only exported `@Module` class).
 */
export async function loadRootModule(dir: string, spec: string): Promise<Constructor> {
  const [path = '', exportName] = spec.split('#');
  const file = resolve(dir, path);
  if (!existsSync(file)) {
    throw new ConfigurationError('KRPC_CONFIG_NOT_FOUND', `Root module file not found: ${file}`, {
      fix: `build the app first (tsc), or set "module" in krpc.config.json / KRPC_MODULE to the built file (e.g. "./dist/app.module.js#AppModule"); krpc-app runs JavaScript, not TypeScript`,
    });
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(
      'KRPC_CONFIG_INVALID',
      `Root module ${file} failed to load: ${(error as Error).message ?? String(error)}`,
      {
        fix: 'see the cause (run with --verbose for its stack)',
        cause: error,
      },
    );
  }
  const isModule = (value: unknown): value is Constructor =>
    typeof value === 'function' && getModuleMetadata(value as Constructor) !== undefined;
  if (exportName) {
    const candidate = exports[exportName];
    if (isModule(candidate)) return candidate;
    // the config names the export: a typo is fixed there, not by renaming the class
    const moduleNames = Object.keys(exports).filter((name) => isModule(exports[name]));
    const guess = closest(exportName, moduleNames) ?? (moduleNames.length === 1 ? moduleNames[0] : undefined);
    throw new ConfigurationError('KRPC_NOT_A_MODULE', `${file} has no exported @Module class named ${exportName}`, {
      className: exportName,
      fix: guess
        ? `set "module" in krpc.config.json (or KRPC_MODULE) to "${path}#${guess}"`
        : `export the root module and decorate it with @Module({...}), then name it in "module" ("${path}#Name"); exports found: ${Object.keys(exports).join(', ') || 'none'}`,
    });
  }
  const modules = Object.values(exports).filter(isModule);
  if (modules.length === 1) return modules[0] as Constructor;
  throw new ConfigurationError('KRPC_NOT_A_MODULE', `${file} exports ${modules.length === 0 ? 'no' : 'several'} @Module classes`, {
    fix: `name the root module with "#": "module": "${path}#AppModule"`,
  });
}
