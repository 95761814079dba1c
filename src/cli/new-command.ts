import { defineCommand } from './command.js';
import { verboseOption } from './parse-options.js';
import { PACKAGE_MANAGERS, type PackageManager } from './templates/package-manager.js';

interface NewFlags {
  dir?: string;
  proto?: string;
  packageManager: string;
  verbose?: boolean;
}

/** `krpc-app new NAME`: a complete project, ready for `npm install` and `npm start`. */
export const newCommand = defineCommand<NewFlags>({
  name: 'new',
  summary: 'write a new project: service, module, test, Dockerfile',
  help: `Usage: krpc-app new <name> [options]

Write a new KubernetesRPC project named NAME into ./NAME (or --dir): package.json (depending on
kubernetes-rpc), tsconfig.json, proto/, generated handler types, a service class per service, a
module, krpc.config.json, a test (kubernetes-rpc/testing), a Dockerfile, .dockerignore,
.gitignore and a README. Without --proto it serves a small greeter; with it, every rpc of the
proto's services answers UNIMPLEMENTED until its handler is written. The directory must be new or
empty. NAME must be an npm package name and a Kubernetes name (lower-case letters, digits, '-').
The project's ports (krpc.config.json "port" and "runtimePort") come from NAME: gRPC in
50100-50999, runtime that + 1000, so two projects on one machine do not clash; a pair in use on
this machine now is skipped.

Options:
  -d, --dir <dir>       where to write the project (default: ./NAME)
      --proto <file>    a .proto to build the project around; its imports are copied too
      --package-manager <npm|pnpm|yarn>
                        what the README, the next steps and the Dockerfile use (default: npm)
  -v, --verbose         print stack traces on errors
  -h, --help            show this help
`,
  argument: { name: 'name' },
  options: {
    dir: { short: 'd', value: 'dir' },
    proto: { value: 'file' },
    packageManager: { value: 'npm|pnpm|yarn', choices: PACKAGE_MANAGERS, default: 'npm' },
    verbose: verboseOption,
  },
  run: async (name, flags) => {
    const { resolve, relative } = await import('node:path');
    const { validateProjectName } = await import('./new/validate-project-name.js');
    const { writeProject } = await import('./new/write-project.js');
    const { pickProjectPorts } = await import('./new/pick-ports.js');
    const { packageManagerCommands } = await import('./templates/package-manager.js');
    const { typesCommand } = await import('./types-command.js');
    validateProjectName(name);
    const dir = resolve(flags.dir ?? name);
    const packageManager = flags.packageManager as PackageManager;
    const ports = await pickProjectPorts(name);
    const services = writeProject({ name, dir, ports, packageManager, ...(flags.proto === undefined ? {} : { proto: flags.proto }) });
    await typesCommand.run(dir, { out: 'src/generated' }, []);
    const fromHere = relative(process.cwd(), dir);
    const cd = fromHere === '' ? '.' : fromHere.startsWith('..') ? dir : fromHere;
    const pm = packageManagerCommands(packageManager);
    process.stdout.write(`krpc-app: created ${name} in ${dir}, serving ${services.join(', ')} on :${ports.port} (probes and metrics on :${ports.runtimePort})

Next:
  cd ${cd}
  ${pm.install}
  ${pm.run('dev').padEnd(15)}  # watch and serve on :${ports.port}; restarts on every change
  ${pm.run('test').padEnd(15)}  # the tests, from source
`);
  },
});
