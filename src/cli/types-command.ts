import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { defineCommand } from './command.js';
import { verboseOption } from './parse-options.js';

interface TypesFlags {
  out: string;
  verbose?: boolean;
}

/** `krpc-app types [dir]`: TypeScript types for the app's protos (proto-loader-gen-types). */
export const typesCommand = defineCommand<TypesFlags>({
  name: 'types',
  summary: "write TypeScript types for the app's protos",
  help: `Usage: krpc-app types [dir] [options]

Write TypeScript types for the protos of the app in DIR (default: .): the config's "protos",
else every .proto under DIR/proto. Each service gets a ...Handlers interface for
ServiceImpl<...> and a ...Client interface for Client<...>.

Options:
  -o, --out <dir>   output directory, relative to DIR (default: src/generated)
  -v, --verbose     print stack traces on errors
  -h, --help        show this help
`,
  argument: { name: 'dir', default: '.' },
  options: {
    out: { short: 'o', value: 'dir', default: 'src/generated' },
    verbose: verboseOption,
  },
  run: async (dir, flags) => {
    const { ConfigurationError } = await import('../errors/index.js');
    const { loadAppConfig } = await import('../config/index.js');
    const { execFileSync } = await import('node:child_process');
    const config = await loadAppConfig(dir);
    const protos = config.protos.length > 0 ? config.protos.map((p) => resolve(config.dir, p)) : findProtos(join(config.dir, 'proto'));
    if (protos.length === 0) {
      throw new ConfigurationError('KRPC_PROTO_NOT_FOUND', `No proto files found for ${config.dir}`, {
        fix: 'list them in krpc.config.json "protos", or put them under DIR/proto',
      });
    }
    const missing = protos.find((file) => !existsSync(file));
    if (missing !== undefined) {
      throw new ConfigurationError('KRPC_PROTO_NOT_FOUND', `Proto file not found: ${missing}`, {
        protoFile: missing,
        fix: `check the path in the config's "protos" (${config.file ?? 'krpc.config.json'}); relative paths are resolved from ${config.dir}`,
      });
    }
    const outDir = resolve(config.dir, flags.out);
    const bin = protoLoaderGenTypes();
    const includeDirs = [
      config.dir,
      ...config.includeDirs.map((d) => resolve(config.dir, d)),
      ...new Set(protos.map((p) => resolve(p, '..'))),
    ];
    execFileSync(
      process.execPath,
      [
        bin,
        ...protos.map((p) => relative(config.dir, p)),
        '--grpcLib=@grpc/grpc-js',
        '--longs=String',
        '--enums=String',
        '--defaults',
        '--oneofs',
        '--importFileExtension=.js',
        `--outDir=${outDir}`,
        ...includeDirs.map((d) => `--includeDirs=${d}`),
      ],
      { cwd: config.dir, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    relativizeHeaders(outDir, config.dir);
    process.stdout.write(`krpc-app: wrote types for ${protos.length} proto file(s) to ${outDir}\n`);
  },
});

/** proto-loader-gen-types, found through the `bin` entry proto-loader declares in its package.json. */
function protoLoaderGenTypes(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@grpc/proto-loader/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> };
  const script = bin?.['proto-loader-gen-types'];
  if (!script) throw new Error(`@grpc/proto-loader (${manifest}) declares no proto-loader-gen-types bin`);
  return join(dirname(manifest), script);
}

function findProtos(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findProtos(path);
    return name.endsWith('.proto') ? [path] : [];
  });
}

/** proto-loader-gen-types writes absolute proto paths into headers; keep generated files portable. */
function relativizeHeaders(dir: string, appDir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) relativizeHeaders(path, appDir);
    else if (name.endsWith('.ts')) {
      const text = readFileSync(path, 'utf8');
      const fixed = text.replace(/^\/\/ Original file: (.+)$/m, (_m, file: string) => `// Original file: ${relative(appDir, file)}`);
      if (fixed !== text) writeFileSync(path, fixed);
    }
  }
}
