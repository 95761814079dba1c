// Original file: proto/grpc/testing/messages.proto

import type { Payload as _grpc_testing_Payload, Payload__Output as _grpc_testing_Payload__Output } from '../../grpc/testing/Payload.js';
import type { BoolValue as _grpc_testing_BoolValue, BoolValue__Output as _grpc_testing_BoolValue__Output } from '../../grpc/testing/BoolValue.js';

export interface StreamingInputCallRequest {
  'payload'?: (_grpc_testing_Payload | null);
  'expectCompressed'?: (_grpc_testing_BoolValue | null);
}

export interface StreamingInputCallRequest__Output {
  'payload': (_grpc_testing_Payload__Output | null);
  'expectCompressed': (_grpc_testing_BoolValue__Output | null);
}
