// Original file: proto/grpc/testing/messages.proto

import type { PayloadType as _grpc_testing_PayloadType, PayloadType__Output as _grpc_testing_PayloadType__Output } from '../../grpc/testing/PayloadType.js';
import type { ResponseParameters as _grpc_testing_ResponseParameters, ResponseParameters__Output as _grpc_testing_ResponseParameters__Output } from '../../grpc/testing/ResponseParameters.js';
import type { Payload as _grpc_testing_Payload, Payload__Output as _grpc_testing_Payload__Output } from '../../grpc/testing/Payload.js';
import type { EchoStatus as _grpc_testing_EchoStatus, EchoStatus__Output as _grpc_testing_EchoStatus__Output } from '../../grpc/testing/EchoStatus.js';
import type { TestOrcaReport as _grpc_testing_TestOrcaReport, TestOrcaReport__Output as _grpc_testing_TestOrcaReport__Output } from '../../grpc/testing/TestOrcaReport.js';

export interface StreamingOutputCallRequest {
  'responseType'?: (_grpc_testing_PayloadType);
  'responseParameters'?: (_grpc_testing_ResponseParameters)[];
  'payload'?: (_grpc_testing_Payload | null);
  'responseStatus'?: (_grpc_testing_EchoStatus | null);
  'orcaOobReport'?: (_grpc_testing_TestOrcaReport | null);
}

export interface StreamingOutputCallRequest__Output {
  'responseType': (_grpc_testing_PayloadType__Output);
  'responseParameters': (_grpc_testing_ResponseParameters__Output)[];
  'payload': (_grpc_testing_Payload__Output | null);
  'responseStatus': (_grpc_testing_EchoStatus__Output | null);
  'orcaOobReport': (_grpc_testing_TestOrcaReport__Output | null);
}
