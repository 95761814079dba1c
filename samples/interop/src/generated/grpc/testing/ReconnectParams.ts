// Original file: proto/grpc/testing/messages.proto


export interface ReconnectParams {
  'maxReconnectBackoffMs'?: (number);
}

export interface ReconnectParams__Output {
  'maxReconnectBackoffMs': (number);
}
