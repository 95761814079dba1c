import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadSync, type MessageTypeDefinition, type ServiceDefinition } from '@grpc/proto-loader';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/index.js';
import { DEFAULT_LOADER_OPTIONS, loadProtos } from './load-protos.js';

const dirs: string[] = [];

/** A fresh directory with the given proto files (relative path → text). */
function protoDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'krpc-protos-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), `syntax = "proto3";\n${text}\n`);
  }
  return dir;
}

function bootError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    if (ConfigurationError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const MESSAGES = 'message Req { string name = 1; }\nmessage Res { string text = 1; }';

describe('loadProtos', () => {
  it('names the file that declares each service, also within one package and from an import', () => {
    const root = protoDir({
      'a.proto': `package shop;\nimport "lib/common.proto";\nservice Orders { rpc Get (Req) returns (Res); }\n// service Commented { }`,
      'b.proto': `package shop;\n/* service Hidden { } */\nservice Payments { rpc Pay (Req) returns (stream Res); }`,
      'lib/common.proto': `package shop;\n${MESSAGES}\nservice Audit { rpc Log (stream Req) returns (Res); }`,
    });
    const protos = loadProtos(['a.proto', 'b.proto'], { root });
    expect([...protos.services.keys()].sort()).toEqual(['shop.Audit', 'shop.Orders', 'shop.Payments']);
    expect(protos.services.get('shop.Orders')?.file).toBe(join(root, 'a.proto'));
    expect(protos.services.get('shop.Payments')?.file).toBe(join(root, 'b.proto'));
    expect(protos.services.get('shop.Audit')?.file).toBe(join(root, 'lib/common.proto'));
    expect(protos.services.get('shop.Payments')?.methods.get('Pay')).toMatchObject({ path: '/shop.Payments/Pay', kind: 'server_stream' });
    expect(protos.services.get('shop.Audit')?.methods.get('Log')?.kind).toBe('client_stream');
  });

  it('loads a file once when it is both listed and imported', () => {
    const root = protoDir({
      'common.proto': `package shop;\n${MESSAGES}\nservice Audit { rpc Log (Req) returns (Res); }`,
      'a.proto': 'package shop;\nimport "common.proto";\nservice Orders { rpc Get (Req) returns (Res); }',
    });
    const protos = loadProtos(['common.proto', 'a.proto', join(root, 'common.proto')], { root });
    expect(protos.files).toEqual([join(root, 'common.proto'), join(root, 'a.proto')]);
    expect(protos.services.get('shop.Audit')?.file).toBe(join(root, 'common.proto'));
    expect(protos.services.get('shop.Orders')?.file).toBe(join(root, 'a.proto'));
  });

  it('gives what proto-loader’s loadSync gives: definitions, descriptors and method options', () => {
    const root = protoDir({
      'svc.proto': `package opts;\n${MESSAGES}\nservice S {\n  rpc Read (Req) returns (Res) { option idempotency_level = NO_SIDE_EFFECTS; }\n  rpc Write (Req) returns (Res) { option deprecated = true; }\n}`,
    });
    const ours = loadProtos(['svc.proto'], { root }).packageDefinition;
    const theirs = loadSync(join(root, 'svc.proto'), { ...DEFAULT_LOADER_OPTIONS, includeDirs: [root] });
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    const read = (ours['opts.S'] as ServiceDefinition).Read;
    expect(read?.options).toEqual((theirs['opts.S'] as ServiceDefinition).Read?.options);
    expect(read?.options.idempotency_level).toBe('NO_SIDE_EFFECTS');
    expect((ours['opts.S'] as ServiceDefinition).Write?.options.deprecated).toBe(true);
    const req = ours['opts.Req'] as MessageTypeDefinition<object, object>;
    expect(req.type).toEqual((theirs['opts.Req'] as MessageTypeDefinition<object, object>).type);
    expect(req.fileDescriptorProtos).toEqual((theirs['opts.Req'] as MessageTypeDefinition<object, object>).fileDescriptorProtos);
    expect(read?.responseDeserialize(read.responseSerialize({ text: 'hé' }))).toEqual({ text: 'hé' });
  });

  it('refuses a name that two files define', () => {
    const root = protoDir({ 'one.proto': `package dup;\n${MESSAGES}`, 'two.proto': 'package dup;\nmessage Req { int32 id = 1; }' });
    const err = bootError(() => loadProtos(['one.proto', 'two.proto'], { root }));
    expect(err.code).toBe('KRPC_PROTO_INVALID');
    expect(err.message).toContain(`proto ${join(root, 'two.proto')}`);
    expect(err.message).toContain("duplicate name 'Req'");
  });

  it('finds imports in includeDirs before the importing file’s directory', () => {
    const root = protoDir({
      'vendor/shared.proto': `package shared;\n${MESSAGES}`,
      'app/shared.proto': 'package wrong;\nmessage Nothing {}',
      'app/svc.proto': 'package app;\nimport "shared.proto";\nservice S { rpc Get (shared.Req) returns (shared.Res); }',
    });
    const protos = loadProtos(['app/svc.proto'], { root, includeDirs: ['vendor'] });
    expect(protos.packageDefinition['shared.Req']).toBeDefined();
    expect(protos.packageDefinition['wrong.Nothing']).toBeUndefined();
  });

  it('names a missing file, and the listed file and the line of a syntax error (also one in an import)', () => {
    const root = protoDir({
      'bad.proto': 'package bad;\nmessage M {\n  string x = 1\n}',
      'uses-bad.proto': 'package ok;\nimport "bad.proto";',
      'missing-import.proto': 'package ok;\nimport "nowhere.proto";',
    });
    const missing = bootError(() => loadProtos(['nope.proto'], { root }));
    expect(missing.code).toBe('KRPC_PROTO_NOT_FOUND');
    expect(missing.message).toContain(join(root, 'nope.proto'));
    const invalid = bootError(() => loadProtos(['uses-bad.proto'], { root }));
    expect(invalid.code).toBe('KRPC_PROTO_INVALID');
    expect(invalid.message).toContain(`proto ${join(root, 'uses-bad.proto')}`);
    expect(invalid.message).toMatch(/line 5\b/);
    const noImport = bootError(() => loadProtos(['missing-import.proto'], { root }));
    expect(noImport.code).toBe('KRPC_PROTO_INVALID');
    expect(noImport.message).toContain('nowhere.proto');
  });
});
