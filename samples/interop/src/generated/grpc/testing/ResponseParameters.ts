// Original file: proto/grpc/testing/messages.proto

import type { BoolValue as _grpc_testing_BoolValue, BoolValue__Output as _grpc_testing_BoolValue__Output } from '../../grpc/testing/BoolValue.js';

export interface ResponseParameters {
  'size'?: (number);
  'intervalUs'?: (number);
  'compressed'?: (_grpc_testing_BoolValue | null);
}

export interface ResponseParameters__Output {
  'size': (number);
  'intervalUs': (number);
  'compressed': (_grpc_testing_BoolValue__Output | null);
}
