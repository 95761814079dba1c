import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { type Options as LoaderOptions, loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ConfigurationError } from '../errors/index.js';
import { type CallKind, callKind } from './call-kind.js';

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
  /** The proto file that declares it, as given. */
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
 * Loads proto files with `@grpc/proto-loader` and indexes their services. A missing or
 * unparsable file is a {@link ConfigurationError} naming the file (and the line, for syntax errors).
 */
export function loadProtos(sources: readonly (string | URL)[], options: LoadProtosOptions): LoadedProtos {
  const files = [...new Set(sources.map((s) => resolveProtoPath(s, options.root)))];
  const loader = { ...DEFAULT_LOADER_OPTIONS, ...options.loader };
  const packageDefinition: PackageDefinition = {};
  const declaredIn = new Map<string, string>();
  for (const file of files) {
    if (!existsSync(file)) {
      throw new ConfigurationError('KRPC_PROTO_NOT_FOUND', `Proto file not found: ${file}`, {
        protoFile: file,
        fix: `check the path in @Module({ protos }) or the config's "protos"; relative paths are resolved from ${options.root}`,
      });
    }
    let loaded: PackageDefinition;
    const fileOptions = { ...loader, includeDirs: [...(options.includeDirs ?? []).map((d) => resolve(options.root, d)), options.root] };
    try {
      loaded = loadSync(file, fileOptions);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ConfigurationError('KRPC_PROTO_INVALID', `Proto file could not be parsed: ${detail}`, {
        protoFile: file,
        fix: 'correct the proto syntax at the line given, or the import path',
        cause: error,
      });
    }
    Object.assign(packageDefinition, loaded);
    for (const name of declaredServices(file)) if (!declaredIn.has(name)) declaredIn.set(name, file);
  }
  const services = new Map<string, LoadedService>();
  for (const [name, entry] of Object.entries(packageDefinition)) {
    if (!isServiceDefinition(entry)) continue;
    const methods = new Map<string, LoadedMethod>();
    const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
    for (const [rpcName, def] of Object.entries(entry)) {
      const method = def as MethodDefinition<unknown, unknown>;
      definition[rpcName] = method;
      methods.set(rpcName, {
        rpcName,
        path: method.path,
        kind: callKind(method.requestStream, method.responseStream),
        definition: method,
      });
    }
    services.set(name, { name, file: declaredIn.get(name) ?? files[0] ?? '', definition, methods });
  }
  return { files, packageDefinition, services };
}

function isServiceDefinition(entry: unknown): entry is ServiceDefinition {
  if (typeof entry !== 'object' || entry === null) return false;
  if ('format' in entry || 'type' in entry) return false;
  return Object.values(entry).every((m) => typeof m === 'object' && m !== null && 'path' in m && 'requestStream' in m);
}

function declaredServices(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
  const pkg = /\bpackage\s+([\w.]+)\s*;/.exec(text)?.[1];
  return [...text.matchAll(/\bservice\s+(\w+)\s*\{/g)].map((m) => (pkg ? `${pkg}.${m[1]}` : (m[1] as string)));
}
