// Original file: proto/grpc/testing/messages.proto

import type { PayloadType as _grpc_testing_PayloadType, PayloadType__Output as _grpc_testing_PayloadType__Output } from '../../grpc/testing/PayloadType.js';

export interface Payload {
  'type'?: (_grpc_testing_PayloadType);
  'body'?: (Buffer | Uint8Array | string);
}

export interface Payload__Output {
  'type': (_grpc_testing_PayloadType__Output);
  'body': (Buffer);
}
