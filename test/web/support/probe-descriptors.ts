import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileRegistry, type DescService, fromBinary } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { PROBE_APP } from './web-app.js';

export const PROTOC = ['/usr/bin/protoc', '/usr/local/bin/protoc'].find((p) => existsSync(p));
/** Where the well-known types' protos are: libprotobuf-dev's, or python3-grpc-tools' copy. */
export const WKT_INCLUDE = ['/usr/include', '/usr/lib/python3/dist-packages/grpc_tools/_proto'].find((d) =>
  existsSync(join(d, 'google', 'protobuf', 'timestamp.proto')),
);

/**
 * `webtest.Probe` as protoc describes it (`--descriptor_set_out --include_imports`): the client
 * side of the tests uses protoc's descriptors, not the server's (which come from protobufjs), so
 * a difference between the two would show.
 */
export function probeService(): DescService {
  const out = join(tmpdir(), `krpc-web-probe-${process.pid}.pb`);
  execFileSync(PROTOC ?? 'protoc', [
    '--include_imports',
    `--descriptor_set_out=${out}`,
    `--proto_path=${PROBE_APP}`,
    `--proto_path=${WKT_INCLUDE}`,
    'probe.proto',
  ]);
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(out)));
  const service = registry.getService('webtest.Probe');
  if (!service) throw new Error('webtest.Probe missing from the descriptor set');
  return service;
}
