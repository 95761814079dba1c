// Original file: /work/main/samples/greeter/proto/helloworld.proto


export interface HelloReply {
  'message'?: (string);
}

export interface HelloReply__Output {
  'message': (string);
}
