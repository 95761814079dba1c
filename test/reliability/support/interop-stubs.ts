import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../support/krpc-process.js';
import { PYTHON } from '../../support/python.js';

/** Where the interop sample keeps its protos. */
export const INTEROP_PROTOS = join(ROOT, 'samples', 'interop', 'proto', 'grpc', 'testing');

/**
 * Generates Python stubs for the interop protos into a temporary directory and returns it.
 * The protos are copied under upstream's import path (`src/proto/grpc/testing/…`), because a
 * top-level `grpc.testing` Python package would shadow grpcio itself.
 */
export function generatePythonStubs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'krpc-interop-'));
  const target = join(dir, 'src', 'proto', 'grpc', 'testing');
  mkdirSync(target, { recursive: true });
  const files = readdirSync(INTEROP_PROTOS).filter((f) => f.endsWith('.proto'));
  for (const file of files) {
    const text = readFileSync(join(INTEROP_PROTOS, file), 'utf8').replaceAll(
      'import "proto/grpc/testing/',
      'import "src/proto/grpc/testing/',
    );
    writeFileSync(join(target, file), text);
  }
  execFileSync(
    PYTHON,
    ['-m', 'grpc_tools.protoc', `-I${dir}`, `--python_out=${dir}`, `--grpc_python_out=${dir}`, ...files.map((f) => join(target, f))],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return dir;
}
