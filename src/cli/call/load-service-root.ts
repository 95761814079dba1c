import type { Client, Metadata } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import type { ReflectionResponse } from './reflection-protocol.js';
import { openReflection, type ReflectionSession } from './reflection-session.js';

/** protobufjs/ext/descriptor adds `Root.fromDescriptor` at run time; its typings do not declare it. */
const fromDescriptor = (protobuf.Root as unknown as { fromDescriptor(set: { file: unknown[] }): protobuf.Root }).fromDescriptor;

/** What reflection said about a service: its types, or the services the server does have. */
export type ServiceLookup =
  | { readonly kind: 'found'; readonly root: protobuf.Root; readonly reflection: string }
  | { readonly kind: 'unknown'; readonly services: readonly string[] };

/**
 * Asks the server's reflection for the file that defines `service` and every file it depends on,
 * and builds a protobufjs Root from those FileDescriptorProtos.
 */
export async function loadServiceRoot(client: Client, metadata: Metadata, deadline: Date, service: string): Promise<ServiceLookup> {
  const { session, response } = await openReflection(client, metadata, deadline, { file_containing_symbol: service });
  try {
    if (response.file_descriptor_response === undefined) {
      const list = await session.ask({ list_services: '' });
      return { kind: 'unknown', services: (list.list_services_response?.service ?? []).map((s) => s.name) };
    }
    const files = await withDependencies(session, response);
    const root = fromDescriptor({ file: [...files.values()] });
    root.resolveAll();
    return { kind: 'found', root, reflection: session.method.split('/')[1]?.replace(/\.ServerReflection$/, '') ?? '' };
  } finally {
    session.close();
  }
}

interface FileProto {
  readonly name: string;
  readonly dependency?: readonly string[];
}

async function withDependencies(session: ReflectionSession, first: ReflectionResponse): Promise<Map<string, FileProto>> {
  const files = new Map<string, FileProto>();
  const add = (response: ReflectionResponse) => {
    for (const bytes of response.file_descriptor_response?.file_descriptor_proto ?? []) {
      const file = descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bytes), { arrays: true }) as FileProto;
      files.set(file.name, file);
    }
  };
  add(first);
  // servers may send only the file itself: fetch each missing import by name
  for (let missing = nextMissing(files); missing !== undefined; missing = nextMissing(files)) {
    const response = await session.ask({ file_by_filename: missing });
    if (response.file_descriptor_response === undefined)
      throw new Error(`reflection has no file ${missing}: ${response.error_response?.error_message ?? ''}`);
    add(response);
    if (!files.has(missing)) throw new Error(`reflection answered file ${missing} with other files`);
  }
  return files;
}

function nextMissing(files: Map<string, FileProto>): string | undefined {
  for (const file of files.values()) for (const dep of file.dependency ?? []) if (!files.has(dep)) return dep;
  return undefined;
}
