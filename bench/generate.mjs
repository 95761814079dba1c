// Generates the peers' code from samples/greeter/proto/helloworld.proto into bench/.generated/
// (gitignored; nothing generated is committed), the way each peer's README has its users do it:
//   connect/helloworld_pb.js   protoc-gen-es (protobuf-es v2), target=js, for Connect-ES;
//   nice/helloworld.js         ts-proto with outputServices=nice-grpc,generic-definitions (nice-grpc's
//                              recommended set-up), compiled from its .ts by the project's tsc.
// `npm run bench` regenerates both before it starts a server; the peer servers generate them
// when they are missing, so they also run on their own. Usage: node bench/generate.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from './lib.mjs';

export const GENERATED = join(root, 'bench/.generated');
const PROTO_DIR = join(root, 'samples/greeter/proto');
const PROTO = join(PROTO_DIR, 'helloworld.proto');
const bin = (name) => join(root, 'node_modules/.bin', name);
const PROTOC = ['/usr/bin/protoc', '/usr/local/bin/protoc'].find((p) => existsSync(p)) ?? 'protoc';

/** The generated module of each peer, by peer name. */
export const GENERATED_MODULES = {
  connect: join(GENERATED, 'connect/helloworld_pb.js'),
  nice: join(GENERATED, 'nice/helloworld.js'),
};

function protoc(args) {
  execFileSync(PROTOC, [`-I${PROTO_DIR}`, ...args, PROTO], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Writes the generated code of every peer afresh (about a second). */
export function generatePeerCode() {
  rmSync(GENERATED, { recursive: true, force: true });
  const connect = join(GENERATED, 'connect');
  const nice = join(GENERATED, 'nice');
  mkdirSync(connect, { recursive: true });
  mkdirSync(nice, { recursive: true });
  // biome.json's `bench/**` would lint the generated code; a nested config takes it out again
  writeFileSync(join(GENERATED, 'biome.json'), `${JSON.stringify({ root: false, files: { includes: ['!**'] } }, null, 2)}\n`);
  protoc([`--plugin=protoc-gen-es=${bin('protoc-gen-es')}`, `--es_out=${connect}`, '--es_opt=target=js']);
  protoc([
    `--plugin=protoc-gen-ts_proto=${bin('protoc-gen-ts_proto')}`,
    `--ts_proto_out=${nice}`,
    '--ts_proto_opt=outputServices=nice-grpc,outputServices=generic-definitions,useExactTypes=false',
  ]);
  // ts-proto writes TypeScript only; Node 20 cannot run it, so compile it as a user's build would
  execFileSync(
    bin('tsc'),
    [
      '--ignoreConfig',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--skipLibCheck',
      '--types',
      'node',
      '--outDir',
      nice,
      join(nice, 'helloworld.ts'),
    ],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
  );
}

/** Generates the peers' code unless every generated module is already there. */
export function ensurePeerCode() {
  if (!Object.values(GENERATED_MODULES).every((file) => existsSync(file))) generatePeerCode();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  generatePeerCode();
  console.log(`wrote ${Object.values(GENERATED_MODULES).join(', ')}`);
}
