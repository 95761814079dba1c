import type { CallKind } from '../proto/index.js';

/** What is known about the rpc a call is for. */
export interface MethodInfo {
  /** Fully-qualified service name, e.g. `helloworld.Greeter`. */
  readonly service: string;
  /** The rpc's name in the proto, e.g. `SayHello`. */
  readonly rpcName: string;
  /** `/helloworld.Greeter/SayHello` */
  readonly path: string;
  readonly kind: CallKind;
  /** The implementing class and method. */
  readonly className: string;
  readonly propertyKey: string;
}
