// Generates the typed browser client code for the greeter from the very proto the service is
// built from: protoc with @bufbuild/protoc-gen-es (target=js) writes public/gen/helloworld_pb.js,
// which @connectrpc/connect-web's createClient takes. Generated code is not committed.
// Usage: node samples/web/generate.mjs [proto-file] [out-dir]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';

const here = import.meta.dirname;
const require = createRequire(import.meta.url);

/** Runs protoc-gen-es on `proto` into `outDir` (the proto's directory is its import root, then `includeDirs`). */
export function generate(proto = join(here, '..', 'greeter', 'proto', 'helloworld.proto'), outDir = join(here, 'public', 'gen'), includeDirs = []) {
  const plugin = join(dirname(require.resolve('@bufbuild/protoc-gen-es/package.json')), 'bin', 'protoc-gen-es');
  const protoc = ['/usr/bin/protoc', '/usr/local/bin/protoc'].find((p) => existsSync(p)) ?? 'protoc';
  mkdirSync(outDir, { recursive: true });
  execFileSync(protoc, [
    `--plugin=protoc-gen-es=${plugin}`,
    `--es_out=${outDir}`,
    '--es_opt=target=js',
    `--proto_path=${dirname(resolve(proto))}`,
    ...includeDirs.map((dir) => `--proto_path=${dir}`),
    basename(proto),
  ]);
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  console.log(`generated into ${generate(process.argv[2], process.argv[3])}`);
}
