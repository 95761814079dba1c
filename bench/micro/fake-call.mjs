// What the micro benchmarks drive the framework's adapters with, instead of grpc-js calls: an
// EventEmitter with metadata, a peer, no deadline; and the greeter's SayHello method info.
import { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';

/** A grpc-js server call as the adapters see it. */
export class FakeCall extends EventEmitter {
  constructor(request) {
    super();
    this.request = request;
    this.metadata = new Metadata();
  }
  getPeer() {
    return '127.0.0.1:40000';
  }
  getDeadline() {
    return Number.POSITIVE_INFINITY;
  }
  sendMetadata() {}
}

/** helloworld.Greeter/SayHello, as the binder describes it. */
export const SAY_HELLO_INFO = {
  service: 'helloworld.Greeter',
  rpcName: 'SayHello',
  path: '/helloworld.Greeter/SayHello',
  kind: 'unary',
  className: 'GreeterService',
  propertyKey: 'sayHello',
};
