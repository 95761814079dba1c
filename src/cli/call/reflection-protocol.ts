import protobuf from 'protobufjs';

// The request and response messages of grpc.reflection.v1 (and v1alpha, which has the same fields):
// the schema only; protobufjs encodes and decodes it.
const REFLECTION_PROTO = `
syntax = "proto3";
package grpc.reflection.v1;
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    string list_services = 7;
  }
}
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
`;

const root = protobuf.parse(REFLECTION_PROTO, { keepCase: true }).root;

/** A reflection request: exactly one of the fields. */
export interface ReflectionRequest {
  readonly file_by_filename?: string;
  readonly file_containing_symbol?: string;
  readonly list_services?: string;
}

/** A reflection response, as protobufjs decodes it. */
export interface ReflectionResponse {
  readonly file_descriptor_response?: { readonly file_descriptor_proto: readonly Uint8Array[] };
  readonly list_services_response?: { readonly service: readonly { readonly name: string }[] };
  readonly error_response?: { readonly error_code: number; readonly error_message: string };
}

/** The two versions every krpc app serves, newest first. */
export const REFLECTION_METHODS = [
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
] as const;

const requestType = root.lookupType('grpc.reflection.v1.ServerReflectionRequest');
const responseType = root.lookupType('grpc.reflection.v1.ServerReflectionResponse');

/** Encodes a reflection request for grpc-js. */
export function encodeReflectionRequest(request: ReflectionRequest): Buffer {
  return Buffer.from(requestType.encode(requestType.fromObject(request)).finish());
}

/** Decodes a reflection response from grpc-js. */
export function decodeReflectionResponse(bytes: Buffer): ReflectionResponse {
  return responseType.toObject(responseType.decode(bytes), { arrays: true }) as ReflectionResponse;
}
