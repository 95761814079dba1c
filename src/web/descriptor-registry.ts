import { create, createFileRegistry, type DescService, type FileRegistry, fromBinary } from '@bufbuild/protobuf';
import { type DescriptorProto, type FileDescriptorProto, FileDescriptorProtoSchema, FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ConfigurationError } from '../errors/index.js';

/**
 * The app's protos as `@bufbuild/protobuf` descriptors, which Connect routes and parses with. They
 * are not parsed again: proto-loader's package definition carries the `FileDescriptorProto` of
 * every loaded file (the same bytes gRPC reflection serves), and the registry is built from those.
 */
export function registryFromPackageDefinition(definition: PackageDefinition): FileRegistry {
  const files = new Map<string, FileDescriptorProto>();
  for (const entry of Object.values(definition)) {
    const protos = (entry as { fileDescriptorProtos?: readonly Uint8Array[] }).fileDescriptorProtos;
    for (const bytes of protos ?? []) {
      const file = fromBinary(FileDescriptorProtoSchema, bytes);
      if (files.has(file.name)) continue;
      for (const message of file.messageType) withJsonNames(message);
      files.set(file.name, file);
    }
  }
  return createFileRegistry(create(FileDescriptorSetSchema, { file: withDependencies(qualifyTypeNames([...files.values()])) }));
}

/**
 * protoc fills in every field's `json_name` (the lowerCamelCase of its name, unless the option
 * sets one) and `@bufbuild/protobuf` relies on it; protobufjs' descriptors leave it out, which
 * would make every JSON key empty. Filled in here the way protoc computes it.
 */
function withJsonNames(message: DescriptorProto): void {
  for (const field of message.field) if (!field.jsonName) field.jsonName = protocJsonName(field.name);
  for (const nested of message.nestedType) withJsonNames(nested);
}

/**
 * protoc writes every type reference fully qualified (`.pkg.Message`), protobufjs as written in
 * the proto (`Message`, `google.protobuf.Timestamp`); resolved here by the proto scoping rules,
 * innermost scope first.
 */
function qualifyTypeNames(files: readonly FileDescriptorProto[]): Map<string, FileDescriptorProto> {
  const known = new Map<string, FileDescriptorProto>();
  const collect = (file: FileDescriptorProto, scope: string, messages: readonly DescriptorProto[], enums: readonly { name: string }[]) => {
    for (const e of enums) known.set(`${scope}.${e.name}`, file);
    for (const m of messages) {
      known.set(`${scope}.${m.name}`, file);
      collect(file, `${scope}.${m.name}`, m.nestedType, m.enumType);
    }
  };
  for (const file of files) collect(file, file.package ? `.${file.package}` : '', file.messageType, file.enumType);
  const resolve = (scope: string, name: string): string => {
    if (name === '' || name.startsWith('.')) return name;
    for (let at = scope; ; at = at.slice(0, Math.max(0, at.lastIndexOf('.')))) {
      const candidate = `${at}.${name}`;
      if (known.has(candidate) || at === '') return known.has(candidate) ? candidate : name;
    }
  };
  const visit = (scope: string, message: DescriptorProto) => {
    const inner = `${scope}.${message.name}`;
    for (const field of message.field) field.typeName = resolve(inner, field.typeName);
    for (const nested of message.nestedType) visit(inner, nested);
  };
  for (const file of files) {
    const scope = file.package ? `.${file.package}` : '';
    for (const message of file.messageType) visit(scope, message);
    for (const service of file.service) {
      for (const method of service.method) {
        method.inputType = resolve(scope, method.inputType);
        method.outputType = resolve(scope, method.outputType);
      }
    }
  }
  return known;
}

/**
 * protobufjs' descriptors name no `dependency`; `@bufbuild/protobuf` resolves a file's references
 * in the files it depends on, added before it. Both are derived from the qualified type names.
 */
function withDependencies(byType: ReadonlyMap<string, FileDescriptorProto>): FileDescriptorProto[] {
  const needs = new Map<FileDescriptorProto, Set<FileDescriptorProto>>();
  const note = (file: FileDescriptorProto, typeName: string) => {
    const other = byType.get(typeName);
    if (other && other !== file) needs.get(file)?.add(other);
  };
  const visit = (file: FileDescriptorProto, message: DescriptorProto) => {
    for (const field of message.field) note(file, field.typeName);
    for (const nested of message.nestedType) visit(file, nested);
  };
  for (const file of new Set(byType.values())) needs.set(file, new Set());
  for (const file of needs.keys()) {
    for (const message of file.messageType) visit(file, message);
    for (const method of file.service.flatMap((s) => s.method)) {
      note(file, method.inputType);
      note(file, method.outputType);
    }
  }
  const ordered: FileDescriptorProto[] = [];
  const place = (file: FileDescriptorProto, path: Set<FileDescriptorProto>) => {
    if (ordered.includes(file) || path.has(file)) return;
    path.add(file);
    const deps = needs.get(file) ?? new Set();
    for (const dep of deps) place(dep, path);
    file.dependency = [...deps].map((d) => d.name);
    ordered.push(file);
  };
  for (const file of needs.keys()) place(file, new Set());
  return ordered;
}

/** protoc's `ToJsonName`: underscores dropped, the letter after each upper-cased. */
function protocJsonName(name: string): string {
  return name.replace(/_+(.?)/g, (_, next: string) => next.toUpperCase());
}

/** The descriptor of service `name` (fully qualified) in `registry`. */
export function serviceDescriptor(registry: FileRegistry, name: string): DescService {
  const service = registry.getService(name);
  if (!service) {
    throw new ConfigurationError('KRPC_SERVICE_NOT_FOUND', `Service ${name} has no descriptor for the web listener`, {
      service: name,
      fix: 'report this as a bug: every service the gRPC port serves should have one',
    });
  }
  return service;
}
