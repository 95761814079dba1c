import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import protobuf from 'protobufjs';

/** A message type an rpc takes or returns; `nested` ones are declared inside another message. */
export interface TypeRef {
  readonly fullName: string;
  readonly name: string;
  readonly nested: boolean;
}

/** One rpc of a service. */
export interface RpcModel {
  readonly name: string;
  readonly requestType: TypeRef;
  readonly responseType: TypeRef;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

/** One service of the proto. */
export interface ServiceModel {
  readonly fullName: string;
  readonly name: string;
  readonly rpcs: readonly RpcModel[];
}

/** A proto file and the files it imports, with the paths they get in the project (under `proto/`). */
export interface ProtoModel {
  /** Absolute path → path in the project; imports keep the path they are imported by. */
  readonly files: ReadonlyMap<string, string>;
  /** The given file's path in the project. */
  readonly entry: string;
  /** True when imports are written relative to `proto/` (`grpc/testing/empty.proto`), so the app needs it as an include directory. */
  readonly includeProtoDir: boolean;
  readonly services: readonly ServiceModel[];
}

/**
 * Parses `file` and its imports with protobufjs, looking imports up in the file's directory and
 * its parents (as `protoc -I` would for a tree like `proto/grpc/testing/*.proto`).
 *
 * @throws Error with protobufjs' message (file and line) for a proto that does not parse
 */
export function describeProto(file: string): ProtoModel {
  const entryPath = resolve(file);
  const roots = new Set<string>();
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (isAbsolute(target)) return target;
    for (let dir = dirname(origin); ; dir = dirname(dir)) {
      if (existsSync(join(dir, target))) {
        roots.add(dir);
        return join(dir, target);
      }
      if (dir === dirname(dir)) return target; // protobufjs has the google/protobuf ones built in
    }
  };
  root.loadSync(entryPath, { keepCase: true });
  root.resolveAll();
  // the include root is the shortest directory an import was found from; without imports, the file's own
  const includeRoot = [...roots].sort((a, b) => a.length - b.length)[0] ?? dirname(entryPath);
  const files = new Map<string, string>();
  let includeProtoDir = false;
  for (const loaded of root.files) {
    if (!existsSync(loaded)) continue;
    const fromRoot = relative(includeRoot, loaded);
    const path = (fromRoot.startsWith('..') ? relative(dirname(loaded), loaded) : fromRoot).split(sep).join('/');
    // imports written as `proto/…` (relative to the app) keep working as they are
    if (!path.startsWith('proto/')) includeProtoDir ||= roots.size > 0;
    files.set(loaded, path.startsWith('proto/') ? path : `proto/${path}`);
  }
  const entryFile = root.files.find((f) => resolve(f) === entryPath) ?? entryPath;
  const services = servicesOf(root).filter((s) => !s.filename || resolve(s.filename) === resolve(entryFile));
  return {
    files,
    entry: files.get(entryFile) ?? `proto/${relative(includeRoot, entryPath)}`,
    includeProtoDir,
    services: services.map(serviceModel),
  };
}

function servicesOf(namespace: protobuf.NamespaceBase): protobuf.Service[] {
  return namespace.nestedArray.flatMap((nested) => {
    if (nested instanceof protobuf.Service) return [nested];
    return nested instanceof protobuf.Namespace || nested instanceof protobuf.Type ? servicesOf(nested) : [];
  });
}

function serviceModel(service: protobuf.Service): ServiceModel {
  return {
    fullName: service.fullName.replace(/^\./, ''),
    name: service.name,
    rpcs: service.methodsArray.map((m) => ({
      name: m.name,
      requestType: typeRef(m.resolvedRequestType),
      responseType: typeRef(m.resolvedResponseType),
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
    })),
  };
}

function typeRef(type: protobuf.Type | null): TypeRef {
  if (type === null) throw new Error('unresolved rpc type');
  return { fullName: type.fullName.replace(/^\./, ''), name: type.name, nested: type.parent instanceof protobuf.Type };
}
