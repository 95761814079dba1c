import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON, type Options as LoaderOptions, type PackageDefinition } from '@grpc/proto-loader';
import { type CallKind, callKind } from './call-kind.js';
import { declaredServices, parseProtos } from './parse-protos.js';

/** proto-loader conversion options; see {@link DEFAULT_LOADER_OPTIONS}. */
export type ProtoLoaderOptions = Omit<LoaderOptions, 'includeDirs'>;

/**
 * The framework's proto-loader options: camelCase fields, 64-bit integers and enums as strings,
 * oneof virtual fields, and defaults filled in so handlers see every field.
 */
export const DEFAULT_LOADER_OPTIONS: ProtoLoaderOptions = Object.freeze({
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** One rpc of a loaded service. */
export interface LoadedMethod {
  readonly rpcName: string;
  /** `/package.Service/Method` */
  readonly path: string;
  readonly kind: CallKind;
  readonly definition: MethodDefinition<unknown, unknown>;
}

/** One service found in the loaded protos. */
export interface LoadedService {
  readonly name: string;
  /** The proto file that declares it (absolute; an imported file when that is where it is declared). */
  readonly file: string;
  readonly definition: ServiceDefinition;
  readonly methods: ReadonlyMap<string, LoadedMethod>;
}

/** The result of loading an app's protos. */
export interface LoadedProtos {
  readonly files: readonly string[];
  readonly packageDefinition: PackageDefinition;
  readonly services: ReadonlyMap<string, LoadedService>;
}

/** Options of {@link loadProtos}. */
export interface LoadProtosOptions {
  /** The directory relative proto paths are resolved from. */
  readonly root: string;
  /** Extra directories searched for `import`s. */
  readonly includeDirs?: readonly string[];
  readonly loader?: ProtoLoaderOptions;
}

/** Turns a proto source (path or `file:` URL) into an absolute path. */
export function resolveProtoPath(source: string | URL, root: string): string {
  if (source instanceof URL) return fileURLToPath(source);
  if (source.startsWith('file:')) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(root, source);
}

/**
 * Loads proto files and indexes their services: each file is parsed once, and the codec and
 * package definition are `@grpc/proto-loader`'s. A missing or unparsable file is a
 * `ConfigurationError` naming the file (and the line, for syntax errors).
 *
 * @example
 * ```ts
 * const protos = loadProtos(['proto/helloworld.proto'], { root: process.cwd() });
 * protos.services.get('helloworld.Greeter')?.methods.get('SayHello')?.kind; // 'unary'
 * ```
 */
export function loadProtos(sources: readonly (string | URL)[], options: LoadProtosOptions): LoadedProtos {
  const files = [...new Set(sources.map((s) => resolveProtoPath(s, options.root)))];
  const loader = { ...DEFAULT_LOADER_OPTIONS, ...options.loader };
  const includeDirs = [...(options.includeDirs ?? []).map((d) => resolve(options.root, d)), options.root];
  const parsed = parseProtos(files, { includeDirs, parse: loader, root: options.root });
  // proto-loader builds its definitions from the parsed tree, so no file is read or parsed twice
  const packageDefinition = fromJSON(parsed.toJSON(), loader);
  const services = new Map<string, LoadedService>();
  for (const [name, file] of declaredServices(parsed)) {
    const definition = packageDefinition[name] as ServiceDefinition | undefined;
    if (!definition) continue;
    const methods = new Map<string, LoadedMethod>();
    for (const [rpcName, method] of Object.entries(definition) as [string, MethodDefinition<unknown, unknown>][]) {
      methods.set(rpcName, { rpcName, path: method.path, kind: callKind(method.requestStream, method.responseStream), definition: method });
    }
    services.set(name, { name, file: file ?? files[0] ?? '', definition, methods });
  }
  return { files, packageDefinition, services };
}
