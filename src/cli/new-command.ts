import { defineCommand } from './command.js';
import { verboseOption } from './parse-options.js';

interface NewFlags {
  dir?: string;
  proto?: string;
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

Options:
  -d, --dir <dir>       where to write the project (default: ./NAME)
      --proto <file>    a .proto to build the project around; its imports are copied too
  -v, --verbose         print stack traces on errors
  -h, --help            show this help
`,
  argument: { name: 'name' },
  options: {
    dir: { short: 'd', value: 'dir' },
    proto: { value: 'file' },
    verbose: verboseOption,
  },
  run: async (name, flags) => {
    const { resolve, relative } = await import('node:path');
    const { validateProjectName } = await import('./new/validate-project-name.js');
    const { writeProject } = await import('./new/write-project.js');
    const { typesCommand } = await import('./types-command.js');
    validateProjectName(name);
    const dir = resolve(flags.dir ?? name);
    const services = writeProject({ name, dir, ...(flags.proto === undefined ? {} : { proto: flags.proto }) });
    await typesCommand.run(dir, { out: 'src/generated' }, []);
    const fromHere = relative(process.cwd(), dir);
    const cd = fromHere === '' ? '.' : fromHere.startsWith('..') ? dir : fromHere;
    process.stdout.write(`krpc-app: created ${name} in ${dir}, serving ${services.join(', ')}

Next:
  cd ${cd}
  npm install
  npm start        # build and serve on :50051
  npm test
`);
  },
});
