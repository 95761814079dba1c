/**
 * A rich error detail, as a `google.protobuf.Any`: the full type URL and the encoded message.
 * Details travel in the standard `grpc-status-details-bin` trailer (a `google.rpc.Status`), so
 * grpc-go, grpcio-status and Connect can read them.
 */
export interface ErrorDetail {
  /** e.g. `type.googleapis.com/google.rpc.BadRequest` */
  readonly typeUrl: string;
  /** The encoded protobuf message. */
  readonly value: Uint8Array;
}

/** Encodes a `google.rpc.Status { code = 1; message = 2; repeated Any details = 3 }`. */
export function encodeStatusDetails(code: number, message: string, details: readonly ErrorDetail[]): Buffer {
  const parts: Buffer[] = [];
  if (code !== 0) parts.push(Buffer.from([0x08]), varint(code));
  if (message) parts.push(lengthDelimited(2, Buffer.from(message, 'utf8')));
  for (const detail of details) {
    const any = Buffer.concat([lengthDelimited(1, Buffer.from(detail.typeUrl, 'utf8')), lengthDelimited(2, Buffer.from(detail.value))]);
    parts.push(lengthDelimited(3, any));
  }
  return Buffer.concat(parts);
}

/** Decodes the `details` of a `google.rpc.Status`; returns `[]` for bytes it cannot read. */
export function decodeStatusDetails(bytes: Uint8Array): ErrorDetail[] {
  try {
    const details: ErrorDetail[] = [];
    for (const [field, value] of readFields(bytes)) {
      if (field !== 3 || typeof value === 'number') continue;
      let typeUrl = '';
      let payload: Uint8Array = new Uint8Array(0);
      for (const [f, v] of readFields(value)) {
        if (f === 1 && typeof v !== 'number') typeUrl = Buffer.from(v).toString('utf8');
        if (f === 2 && typeof v !== 'number') payload = Uint8Array.from(v);
      }
      details.push({ typeUrl, value: payload });
    }
    return details;
  } catch {
    return [];
  }
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value >>> 0;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

function lengthDelimited(field: number, payload: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
}

function* readFields(bytes: Uint8Array): Generator<[number, number | Uint8Array]> {
  let pos = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= bytes.length) throw new RangeError('truncated varint');
      const b = bytes[pos++] as number;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const key = readVarint();
    const wire = key & 7;
    const field = Math.floor(key / 8);
    if (wire === 0) yield [field, readVarint()];
    else if (wire === 2) {
      const len = readVarint();
      if (pos + len > bytes.length) throw new RangeError('truncated field');
      yield [field, bytes.subarray(pos, pos + len)];
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new RangeError(`unsupported wire type ${wire}`);
  }
}
