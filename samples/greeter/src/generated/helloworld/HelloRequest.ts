// Original file: /work/main/samples/greeter/proto/helloworld.proto


export interface HelloRequest {
  'name'?: (string);
}

export interface HelloRequest__Output {
  'name': (string);
}
