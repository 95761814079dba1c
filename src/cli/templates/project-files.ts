import type { ProjectPorts } from '../new/pick-ports.js';
import { type PackageManager, packageManagerCommands } from './package-manager.js';

/** What the project files depend on: its name, the framework's version and the ranges it builds with. */
export interface ProjectSettings {
  readonly name: string;
  /** This package's version: the project depends on `^version`. */
  readonly frameworkVersion: string;
  /** Ranges from this package's package.json, so the project builds with what the framework is tested with. */
  readonly ranges: Readonly<Record<'@grpc/grpc-js' | '@grpc/proto-loader' | 'typescript' | '@types/node' | 'vitest', string>>;
  readonly engines: string;
  readonly includeProtoDir: boolean;
  /** Written into krpc.config.json: what `start` and `dev` listen on, and what the image exposes. */
  readonly ports: ProjectPorts;
  readonly packageManager: PackageManager;
}

/** package.json: `npm start` builds and serves, `npm run dev` watches, `npm test` runs the tests from source. */
export function packageJson(p: ProjectSettings): string {
  const manifest = {
    name: p.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: p.engines },
    scripts: {
      build: 'tsc',
      start: 'tsc && krpc-app start',
      dev: 'krpc-app dev',
      test: 'vitest run',
      types: 'krpc-app types',
    },
    dependencies: {
      // the generated types import grpc-js and proto-loader types
      '@grpc/grpc-js': p.ranges['@grpc/grpc-js'],
      '@grpc/proto-loader': p.ranges['@grpc/proto-loader'],
      'kubernetes-rpc': `^${p.frameworkVersion}`,
    },
    devDependencies: {
      '@types/node': p.ranges['@types/node'],
      typescript: p.ranges.typescript,
      vitest: p.ranges.vitest,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** tsconfig.json: ESM (NodeNext) and the legacy decorators with the metadata injection by type reads. */
export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src/**/*.ts'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** krpc.config.json: the built root module, the project's ports, and the image `krpc-app manifests` deploys. */
export function krpcConfigJson(p: ProjectSettings): string {
  const config = {
    module: './dist/app.module.js#AppModule',
    port: p.ports.port,
    runtimePort: p.ports.runtimePort,
    ...(p.includeProtoDir ? { includeDirs: ['proto'] } : {}),
    deploy: { image: `${p.name}:0.1.0` },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** .gitignore. */
export const GITIGNORE = 'node_modules/\ndist/\n*.tgz\n';

/** .dockerignore: only what the build stage copies matters; keep local builds and modules out. */
export const DOCKERIGNORE = 'node_modules\ndist\n.git\n*.tgz\n';

/**
 * Dockerfile: build with the dev dependencies, install production ones only (`npm ci --omit=dev`
 * or the package manager's own), run as a numeric non-root user with node as PID 1 (npm and npx
 * do not forward SIGTERM).
 */
export function dockerfile(p: ProjectSettings): string {
  const pm = packageManagerCommands(p.packageManager);
  const setup = pm.setup === '' ? '' : `${pm.setup}\n`;
  return `# syntax=docker/dockerfile:1
# docker build -t ${p.name}:0.1.0 .   (needs ${pm.lockfile}: run ${pm.install} once)
ARG NODE_IMAGE=node:20-bookworm-slim

FROM \${NODE_IMAGE} AS build
WORKDIR /app
${setup}COPY package.json ${pm.lockfile} ./
RUN ${pm.ciInstall}
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc

FROM \${NODE_IMAGE} AS deps
WORKDIR /app
${setup}COPY package.json ${pm.lockfile} ./
RUN ${pm.ciInstallProduction}

FROM \${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json krpc.config.json ./
COPY proto ./proto
# numeric, so a pod's runAsNonRoot can be checked by the kubelet
USER 1000:1000
EXPOSE ${p.ports.port} ${p.ports.runtimePort}
# node is PID 1 and gets SIGTERM itself, so the app drains and exits 0
ENTRYPOINT ["node", "node_modules/kubernetes-rpc/bin/krpc-app.js", "start", "/app"]
`;
}

/** README.md: the two commands, then the rest. */
export function readme(p: ProjectSettings, services: readonly string[]): string {
  const pm = packageManagerCommands(p.packageManager);
  const { port, runtimePort } = p.ports;
  return `# ${p.name}

A [KubernetesRPC](https://www.npmjs.com/package/kubernetes-rpc) service: ${services.join(', ')}.

\`\`\`sh
${pm.install}
${pm.run('dev').padEnd(18)} # watches: tsc, types on .proto changes, restarts on :${port} without dropping calls
\`\`\`

Then, from another terminal:

\`\`\`sh
${pm.exec('krpc-app')} call localhost:${port} ${services[0] ?? 'package.Service'}/<Method> '{}'
\`\`\`

- \`${pm.run('start')}\` builds with tsc and serves on 0.0.0.0:${port} (probes and metrics on ${runtimePort}); the ports are in \`krpc.config.json\`.
- \`${pm.run('test')}\` runs the tests in \`test/\` from source (\`kubernetes-rpc/testing\`).
- \`${pm.run('types')}\` regenerates \`src/generated/\` after a change to \`proto/\` (\`dev\` does it for you).
- \`${pm.exec('krpc-app')} manifests\` prints the Kubernetes objects; \`docker build -t ${p.name}:0.1.0 .\` builds the image they run.
`;
}
