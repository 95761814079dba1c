// Original file: proto/helloworld.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { HelloReply as _helloworld_HelloReply, HelloReply__Output as _helloworld_HelloReply__Output } from '../helloworld/HelloReply.js';
import type { HelloRequest as _helloworld_HelloRequest, HelloRequest__Output as _helloworld_HelloRequest__Output } from '../helloworld/HelloRequest.js';

export interface GreeterClient extends grpc.Client {
  SayHello(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  SayHello(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  SayHello(argument: _helloworld_HelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  SayHello(argument: _helloworld_HelloRequest, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _helloworld_HelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHello(argument: _helloworld_HelloRequest, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  
  SayHelloAgain(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  SayHelloAgain(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  SayHelloAgain(argument: _helloworld_HelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  SayHelloAgain(argument: _helloworld_HelloRequest, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHelloAgain(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHelloAgain(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHelloAgain(argument: _helloworld_HelloRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  sayHelloAgain(argument: _helloworld_HelloRequest, callback: grpc.requestCallback<_helloworld_HelloReply__Output>): grpc.ClientUnaryCall;
  
  SayHelloBidiStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_helloworld_HelloRequest, _helloworld_HelloReply__Output>;
  SayHelloBidiStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_helloworld_HelloRequest, _helloworld_HelloReply__Output>;
  sayHelloBidiStream(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_helloworld_HelloRequest, _helloworld_HelloReply__Output>;
  sayHelloBidiStream(options?: grpc.CallOptions): grpc.ClientDuplexStream<_helloworld_HelloRequest, _helloworld_HelloReply__Output>;
  
  SayHelloStreamReply(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_helloworld_HelloReply__Output>;
  SayHelloStreamReply(argument: _helloworld_HelloRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_helloworld_HelloReply__Output>;
  sayHelloStreamReply(argument: _helloworld_HelloRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_helloworld_HelloReply__Output>;
  sayHelloStreamReply(argument: _helloworld_HelloRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_helloworld_HelloReply__Output>;
  
}

export interface GreeterHandlers extends grpc.UntypedServiceImplementation {
  SayHello: grpc.handleUnaryCall<_helloworld_HelloRequest__Output, _helloworld_HelloReply>;
  
  SayHelloAgain: grpc.handleUnaryCall<_helloworld_HelloRequest__Output, _helloworld_HelloReply>;
  
  SayHelloBidiStream: grpc.handleBidiStreamingCall<_helloworld_HelloRequest__Output, _helloworld_HelloReply>;
  
  SayHelloStreamReply: grpc.handleServerStreamingCall<_helloworld_HelloRequest__Output, _helloworld_HelloReply>;
  
}

export interface GreeterDefinition extends grpc.ServiceDefinition {
  SayHello: MethodDefinition<_helloworld_HelloRequest, _helloworld_HelloReply, _helloworld_HelloRequest__Output, _helloworld_HelloReply__Output>
  SayHelloAgain: MethodDefinition<_helloworld_HelloRequest, _helloworld_HelloReply, _helloworld_HelloRequest__Output, _helloworld_HelloReply__Output>
  SayHelloBidiStream: MethodDefinition<_helloworld_HelloRequest, _helloworld_HelloReply, _helloworld_HelloRequest__Output, _helloworld_HelloReply__Output>
  SayHelloStreamReply: MethodDefinition<_helloworld_HelloRequest, _helloworld_HelloReply, _helloworld_HelloRequest__Output, _helloworld_HelloReply__Output>
}
