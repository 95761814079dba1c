// Preloaded with `node --import` into a krpc-app child: records every module the process loads,
// ES modules through the resolve hook the kubernetes tests use, CommonJS ones from require's cache,
// with the module that first required each @opentelemetry one, and writes them to KRPC_TEST_LOADS_FILE
// when the process exits.
import { writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const esm = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => esm.push(url));
port1.unref();
register(new URL('../../kubernetes/record-imports-hook.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });

process.on('exit', () => {
  const cache = createRequire(import.meta.url).cache;
  const cjs = Object.keys(cache);
  const parents = Object.fromEntries(cjs.filter((f) => f.includes('@opentelemetry')).map((f) => [f, cache[f]?.parent?.filename]));
  writeFileSync(process.env.KRPC_TEST_LOADS_FILE, JSON.stringify({ esm, cjs, parents }));
});
