import protobuf from 'protobufjs';

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

/** A decoded `google.protobuf.Any` (protobufjs keeps the proto's field names). */
interface AnyMessage {
  readonly type_url?: string;
  readonly value?: Uint8Array;
}

let statusType: protobuf.Type | undefined;

/**
 * `google.rpc.Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }`
 * and `google.protobuf.Any { string type_url = 1; bytes value = 2; }`, built with protobufjs'
 * reflection API on first use (most processes never send or read details).
 */
function status(): protobuf.Type {
  if (statusType) return statusType;
  const root = new protobuf.Root();
  root
    .define('google.protobuf')
    .add(new protobuf.Type('Any').add(new protobuf.Field('type_url', 1, 'string')).add(new protobuf.Field('value', 2, 'bytes')));
  root.define('google.rpc').add(
    new protobuf.Type('Status')
      .add(new protobuf.Field('code', 1, 'int32'))
      .add(new protobuf.Field('message', 2, 'string'))
      .add(new protobuf.Field('details', 3, 'google.protobuf.Any', 'repeated')),
  );
  statusType = root.resolveAll().lookupType('google.rpc.Status');
  return statusType;
}

/**
 * Encodes a `google.rpc.Status` the way proto3 encoders (grpc-go, Python's protobuf) do: fields
 * holding their default value (code 0, an empty string or byte string) are left out.
 */
export function encodeStatusDetails(code: number, message: string, details: readonly ErrorDetail[]): Buffer {
  const type = status();
  const anys = details.map((d) => ({ ...(d.typeUrl ? { type_url: d.typeUrl } : {}), ...(d.value.length ? { value: d.value } : {}) }));
  const fields = { ...(code ? { code } : {}), ...(message ? { message } : {}), details: anys };
  const encoded = type.encode(type.create(fields)).finish();
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}

/** Decodes the `details` of a `google.rpc.Status`; returns `[]` for bytes it cannot read. */
export function decodeStatusDetails(bytes: Uint8Array): ErrorDetail[] {
  try {
    const decoded = status().decode(bytes) as unknown as { details?: AnyMessage[] };
    return (decoded.details ?? []).map((any) => ({ typeUrl: any.type_url ?? '', value: Uint8Array.from(any.value ?? []) }));
  } catch {
    return [];
  }
}
