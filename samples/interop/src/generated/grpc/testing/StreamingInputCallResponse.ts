// Original file: proto/grpc/testing/messages.proto


export interface StreamingInputCallResponse {
  'aggregatedPayloadSize'?: (number);
}

export interface StreamingInputCallResponse__Output {
  'aggregatedPayloadSize': (number);
}
