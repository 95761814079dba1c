// A module-resolution hook (node:module register) that reports every resolved URL to the
// test through a MessagePort, to prove what an app does and does not load.
let port;

export function initialize(data) {
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  port?.postMessage(result.url);
  return result;
}
