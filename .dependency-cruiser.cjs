/** Layer rules from DESIGN.md: imports flow errors → metadata → decorators → di → server/client → runtime/kubernetes/testing → app → cli. */
// dependency-cruiser parses JavaScript with acorn; TypeScript 7 has no compiler API for it, so the
// check runs on tsc's output (dist/src), where type-only imports are already erased.
const layer = (name) => `^dist/src/${name}/`;
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    { name: 'errors-is-a-leaf', severity: 'error', from: { path: layer('errors') }, to: { path: '^dist/src/', pathNot: layer('errors') } },
    { name: 'context-is-a-leaf', severity: 'error', from: { path: layer('context') }, to: { path: '^dist/src/', pathNot: layer('context') } },
    { name: 'logging-is-a-leaf', severity: 'error', from: { path: layer('logging') }, to: { path: '^dist/src/', pathNot: layer('logging') } },
    { name: 'metadata-imports-errors-only', severity: 'error', from: { path: layer('metadata') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(metadata|errors)/'] } },
    { name: 'decorators-import-metadata-only', severity: 'error', from: { path: layer('decorators') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(decorators|metadata|errors)/'] } },
    { name: 'proto-imports-errors-only', severity: 'error', from: { path: layer('proto') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(proto|errors)/'] } },
    { name: 'config-imports-errors-only', severity: 'error', from: { path: layer('config') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(config|errors)/'] } },
    { name: 'di-imports-metadata-errors', severity: 'error', from: { path: layer('di') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(di|metadata|errors)/'] } },
    { name: 'server-never-imports-client-or-above', severity: 'error', from: { path: layer('server') }, to: { path: '^dist/src/(client|runtime|kubernetes|testing|app|cli|balancing)/' } },
    { name: 'client-never-imports-server-or-above', severity: 'error', from: { path: layer('client') }, to: { path: '^dist/src/(server|runtime|kubernetes|testing|app|cli|di|decorators)/' } },
    { name: 'balancing-imports-errors-logging', severity: 'error', from: { path: layer('balancing') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(balancing|errors|logging)/'] } },
    { name: 'tls-imports-errors-logging', severity: 'error', from: { path: layer('tls') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(tls|errors|logging)/'] } },
    { name: 'runtime-not-above', severity: 'error', from: { path: layer('runtime') }, to: { path: '^dist/src/(kubernetes|testing|app|cli)/' } },
    { name: 'kubernetes-not-above', severity: 'error', from: { path: layer('kubernetes') }, to: { path: '^dist/src/(server|runtime|testing|app|cli|di|decorators)/' } },
    { name: 'manifests-pure', severity: 'error', from: { path: layer('manifests') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(manifests|config|errors|metadata)/', '^dist/src/runtime/(health-services|runtime-options)\\.js$'] } },
    { name: 'web-beside-server', severity: 'error', from: { path: layer('web') }, to: { path: '^dist/src/(client|runtime|kubernetes|testing|app|cli|manifests|balancing|tls)/' } },
    { name: 'connect-only-in-web', severity: 'error', from: { path: '^dist/src/', pathNot: layer('web') }, to: { path: '@connectrpc/|@bufbuild/' } },
    { name: 'core-never-loads-web', severity: 'error', from: { path: '^dist/src/(errors|metadata|decorators|proto|di|server|client|context|logging|config|runtime|manifests)/' }, to: { path: layer('web') } },
    { name: 'testing-not-above', severity: 'error', from: { path: layer('testing') }, to: { path: '^dist/src/(app|cli)/' } },
    { name: 'app-not-cli', severity: 'error', from: { path: layer('app') }, to: { path: layer('cli') } },
    { name: 'nothing-imports-cli', severity: 'error', from: { path: '^dist/src/', pathNot: layer('cli') }, to: { path: layer('cli') } },
    { name: 'client-node-only-in-kubernetes', severity: 'error', from: { path: '^dist/src/', pathNot: layer('kubernetes') }, to: { path: '@kubernetes/client-node' } },
    { name: 'tracing-imports-errors-and-types', severity: 'error', from: { path: layer('tracing') }, to: { path: '^dist/src/', pathNot: ['^dist/src/(tracing|errors)/'] } },
    { name: 'opentelemetry-only-behind-the-tracing-check', severity: 'error', from: { path: '^dist/src/', pathNot: ['^dist/src/tracing/', '^dist/src/app/tracing-sdk\\.js$'] }, to: { path: ['@opentelemetry/', '^dist/src/app/tracing-sdk\\.js$', '^dist/src/tracing/(?!tracing-settings\\.js$)'], dynamic: false } },
    { name: 'core-never-loads-kubernetes', severity: 'error', from: { path: '^dist/src/(errors|metadata|decorators|proto|di|server|client|context|logging|config)/' }, to: { path: layer('kubernetes') } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.js$', '\\.map$'] },
    tsPreCompilationDeps: false,
    moduleSystems: ['es6'],
  },
};
