// A tiny static server for the sample page: public/ at /, and the ES modules of
// @connectrpc/connect-web, @connectrpc/connect and @bufbuild/protobuf at /modules/ (the page's
// import map points at them), so the browser loads them with no bundler. Generates the client
// code first when it is missing. Prints {"port":N} once listening.
// Usage: node samples/web/serve.mjs [port]      (SAMPLE_EXTRA_DIR=dir also serves dir at /extra/)
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { generate } from './generate.mjs';

const here = import.meta.dirname;
const require = createRequire(import.meta.url);
/** A package's directory, from its entry point (not every package exports its package.json). */
function packageDir(name) {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === name) return dir;
  }
  throw new Error(`cannot find the directory of ${name}: run npm install`);
}
/** Google's grpc-web client, when it is installed (the browser test uses it; the page does not). */
function optionalPackageDir(name) {
  try {
    return packageDir(name);
  } catch {
    return undefined;
  }
}
const grpcWeb = optionalPackageDir('grpc-web');
const mounts = new Map([
  ...(grpcWeb ? [['/modules/grpc-web/', grpcWeb]] : []),
  ['/modules/@connectrpc/connect-web/', packageDir('@connectrpc/connect-web')],
  ['/modules/@connectrpc/connect/', packageDir('@connectrpc/connect')],
  ['/modules/@bufbuild/protobuf/', packageDir('@bufbuild/protobuf')],
  ...(process.env.SAMPLE_EXTRA_DIR ? [['/extra/', process.env.SAMPLE_EXTRA_DIR]] : []),
  ['/', join(here, 'public')],
]);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.map': 'application/json' };

if (!existsSync(join(here, 'public', 'gen', 'helloworld_pb.js'))) generate();

/** The file a URL path names under one of the mounts, or undefined (never outside them). */
function fileFor(pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const file = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length)) || 'index.html'));
    if (!file.startsWith(dir + sep) && file !== dir) return undefined;
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  }
  return undefined;
}

const server = createServer((req, res) => {
  const file = fileFor(new URL(req.url ?? '/', 'http://x').pathname);
  if (!file) {
    res.writeHead(404).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
server.listen(Number(process.argv[2] ?? 8081), '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
