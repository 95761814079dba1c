import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { appModule, stubTest } from '../templates/app-module.js';
import { GREETER_PROTO, GREETER_SERVICE, GREETER_TEST } from '../templates/greeter-files.js';
import type { PackageManager } from '../templates/package-manager.js';
import { DOCKERIGNORE, dockerfile, GITIGNORE, krpcConfigJson, packageJson, readme, tsconfigJson } from '../templates/project-files.js';
import { type ServiceClass, serviceClass, stubService } from '../templates/stub-service.js';
import { UsageError } from '../usage-error.js';
import { describeProto, type ProtoModel } from './describe-proto.js';
import type { ProjectPorts } from './pick-ports.js';

/** What `krpc-app new` writes. */
export interface NewProject {
  readonly name: string;
  readonly dir: string;
  /** A proto to build the project around; without it, a small greeter. */
  readonly proto?: string;
  readonly ports: ProjectPorts;
  readonly packageManager: PackageManager;
}

/**
 * Writes the project's files into `dir` (which must not exist or be empty) and returns the
 * services it serves. Types are generated afterwards by `krpc-app types`.
 */
export function writeProject(project: NewProject): readonly string[] {
  const dir = resolve(project.dir);
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} is not empty; krpc-app new writes only into a new or empty directory`);
  }
  const model = project.proto === undefined ? undefined : loadProto(project.proto);
  if (model !== undefined && model.services.length === 0) throw new UsageError(`${project.proto} defines no service`);
  const framework = frameworkManifest();
  const settings = {
    name: project.name,
    frameworkVersion: framework.version,
    ranges: {
      '@grpc/grpc-js': framework.dependencies['@grpc/grpc-js'],
      '@grpc/proto-loader': framework.dependencies['@grpc/proto-loader'],
      typescript: framework.devDependencies.typescript,
      '@types/node': framework.devDependencies['@types/node'],
      vitest: framework.devDependencies.vitest,
    },
    engines: framework.engines.node,
    includeProtoDir: model?.includeProtoDir ?? false,
    ports: project.ports,
    packageManager: project.packageManager,
  };
  const classes: ServiceClass[] = model?.services.map(serviceClass) ?? [];
  const files: Record<string, string> = {
    'package.json': packageJson(settings),
    'tsconfig.json': tsconfigJson(),
    'krpc.config.json': krpcConfigJson(settings),
    Dockerfile: dockerfile(settings),
    '.dockerignore': DOCKERIGNORE,
    '.gitignore': GITIGNORE,
    'README.md': readme(settings, model?.services.map((s) => s.fullName) ?? ['helloworld.Greeter']),
  };
  if (model === undefined) {
    Object.assign(files, {
      'proto/helloworld.proto': GREETER_PROTO,
      'src/greeter.service.ts': GREETER_SERVICE,
      'src/app.module.ts': appModule('proto/helloworld.proto', [
        { className: 'GreeterService', file: 'greeter.service', service: { fullName: 'helloworld.Greeter', name: 'Greeter', rpcs: [] } },
      ]),
      'test/app.test.ts': GREETER_TEST,
    });
  } else {
    for (const c of classes) files[`src/${c.file}.ts`] = stubService(c);
    files['src/app.module.ts'] = appModule(model.entry, classes);
    files['test/app.test.ts'] = stubTest(classes);
  }
  for (const [path, text] of Object.entries(files)) write(join(dir, path), text);
  for (const [source, path] of model?.files ?? []) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(source, join(dir, path));
  }
  return model?.services.map((s) => s.fullName) ?? ['helloworld.Greeter'];
}

function loadProto(file: string): ProtoModel {
  if (!existsSync(file)) throw new UsageError(`--proto ${file}: no such file`);
  try {
    return describeProto(file);
  } catch (error) {
    throw new UsageError(`--proto ${file} does not parse: ${(error as Error).message}`);
  }
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

interface FrameworkManifest {
  readonly version: string;
  readonly engines: { readonly node: string };
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

/** This package's package.json (dist/src/cli/new → the package root). */
function frameworkManifest(): FrameworkManifest {
  return JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as FrameworkManifest;
}
