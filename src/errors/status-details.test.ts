import { describe, expect, it } from 'vitest';
import { decodeStatusDetails, encodeStatusDetails } from './status-details.js';

const bytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex');

describe('google.rpc.Status details', () => {
  it('writes the proto3 wire format: tags 1–3, Any as tags 1–2, defaults left out', () => {
    const encoded = encodeStatusDetails(5, 'no', [{ typeUrl: 't/a', value: new Uint8Array([0x08, 0x01]) }]);
    expect(encoded.toString('hex')).toBe(bytes('08 05  12 02 6e6f  1a 09 (0a 03 742f61 12 02 0801)'.replace(/[()]/g, '')).toString('hex'));
    expect(encodeStatusDetails(0, '', [{ typeUrl: '', value: new Uint8Array([]) }]).toString('hex')).toBe('1a00');
  });

  it('reads what other encoders may send: unknown fields, fields out of order, an Any without its fields', () => {
    const details = decodeStatusDetails(bytes('1a 03 (0a 01 78)  2a 02 ffff  20 07  1a 00  08 03'.replace(/[()]/g, '')));
    expect(details).toEqual([
      { typeUrl: 'x', value: new Uint8Array([]) },
      { typeUrl: '', value: new Uint8Array([]) },
    ]);
  });

  it('returns no details for truncated or malformed bytes', () => {
    expect(decodeStatusDetails(bytes('1a 05 0a 03 78'))).toEqual([]);
    expect(decodeStatusDetails(bytes('0f'))).toEqual([]);
    expect(decodeStatusDetails(bytes('08 ff ff ff ff ff ff ff ff ff ff ff'))).toEqual([]);
  });
});
