// Original file: proto/grpc/testing/messages.proto


export interface ReconnectInfo {
  'passed'?: (boolean);
  'backoffMs'?: (number)[];
}

export interface ReconnectInfo__Output {
  'passed': (boolean);
  'backoffMs': (number)[];
}
