// google.rpc.Status in grpc-status-details-bin against Python's protobuf runtime (the encoder
// behind grpcio-status): the same bytes both ways for the same status, and each side decodes the other's.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeStatusDetails, encodeStatusDetails } from '../../src/errors/index.js';
import { ROOT } from '../support/krpc-process.js';
import { requirePeer } from '../support/peers.js';
import { PYTHON, pythonHas } from '../support/python.js';

const hasProtobuf = requirePeer('python3-protobuf', pythonHas('google.protobuf.descriptor_pool'), 'apt-get install -y python3-grpcio');

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function python(status: { code: number; message: string; details: [string, string][] }, bytes: Uint8Array) {
  const script = join(ROOT, 'test/support/python/status_details.py');
  const stdout = execFileSync(PYTHON, [script, JSON.stringify(status), hex(bytes)], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(stdout) as { encoded: string; decoded: { code: number; message: string; details: [string, string][] } };
}

describe.skipIf(!hasProtobuf)('google.rpc.Status details, with Python protobuf', () => {
  const cases = [
    {
      code: 3,
      message: 'name is required: grüße 🙂',
      details: [
        { typeUrl: 'type.googleapis.com/google.rpc.BadRequest', value: Uint8Array.from({ length: 300 }, (_, i) => i % 256) },
        { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: new Uint8Array([0x0a, 0x02, 0x08, 0x01]) },
        { typeUrl: 'type.googleapis.com/google.rpc.Empty', value: new Uint8Array([]) },
      ],
    },
    { code: 0, message: '', details: [{ typeUrl: 'type.googleapis.com/x.Y', value: new Uint8Array([1]) }] },
    { code: 16, message: 'm'.repeat(200), details: [] },
  ];

  for (const c of cases) {
    it(`encodes and decodes like Python (code ${c.code}, ${c.details.length} details)`, () => {
      const ours = encodeStatusDetails(c.code, c.message, c.details);
      const theirs = python({ code: c.code, message: c.message, details: c.details.map((d) => [d.typeUrl, hex(d.value)]) }, ours);
      expect(hex(ours)).toBe(theirs.encoded);
      expect(theirs.decoded).toEqual({ code: c.code, message: c.message, details: c.details.map((d) => [d.typeUrl, hex(d.value)]) });
      expect(decodeStatusDetails(Buffer.from(theirs.encoded, 'hex'))).toEqual(c.details);
    });
  }
});
