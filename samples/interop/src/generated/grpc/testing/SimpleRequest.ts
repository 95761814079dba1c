// Original file: proto/grpc/testing/messages.proto

import type { PayloadType as _grpc_testing_PayloadType, PayloadType__Output as _grpc_testing_PayloadType__Output } from '../../grpc/testing/PayloadType.js';
import type { Payload as _grpc_testing_Payload, Payload__Output as _grpc_testing_Payload__Output } from '../../grpc/testing/Payload.js';
import type { BoolValue as _grpc_testing_BoolValue, BoolValue__Output as _grpc_testing_BoolValue__Output } from '../../grpc/testing/BoolValue.js';
import type { EchoStatus as _grpc_testing_EchoStatus, EchoStatus__Output as _grpc_testing_EchoStatus__Output } from '../../grpc/testing/EchoStatus.js';
import type { TestOrcaReport as _grpc_testing_TestOrcaReport, TestOrcaReport__Output as _grpc_testing_TestOrcaReport__Output } from '../../grpc/testing/TestOrcaReport.js';

export interface SimpleRequest {
  'responseType'?: (_grpc_testing_PayloadType);
  'responseSize'?: (number);
  'payload'?: (_grpc_testing_Payload | null);
  'fillUsername'?: (boolean);
  'fillOauthScope'?: (boolean);
  'responseCompressed'?: (_grpc_testing_BoolValue | null);
  'responseStatus'?: (_grpc_testing_EchoStatus | null);
  'expectCompressed'?: (_grpc_testing_BoolValue | null);
  'fillServerId'?: (boolean);
  'fillGrpclbRouteType'?: (boolean);
  'orcaPerQueryReport'?: (_grpc_testing_TestOrcaReport | null);
}

export interface SimpleRequest__Output {
  'responseType': (_grpc_testing_PayloadType__Output);
  'responseSize': (number);
  'payload': (_grpc_testing_Payload__Output | null);
  'fillUsername': (boolean);
  'fillOauthScope': (boolean);
  'responseCompressed': (_grpc_testing_BoolValue__Output | null);
  'responseStatus': (_grpc_testing_EchoStatus__Output | null);
  'expectCompressed': (_grpc_testing_BoolValue__Output | null);
  'fillServerId': (boolean);
  'fillGrpclbRouteType': (boolean);
  'orcaPerQueryReport': (_grpc_testing_TestOrcaReport__Output | null);
}
