// Original file: proto/grpc/testing/messages.proto

import type { Payload as _grpc_testing_Payload, Payload__Output as _grpc_testing_Payload__Output } from '../../grpc/testing/Payload.js';

export interface StreamingOutputCallResponse {
  'payload'?: (_grpc_testing_Payload | null);
}

export interface StreamingOutputCallResponse__Output {
  'payload': (_grpc_testing_Payload__Output | null);
}
