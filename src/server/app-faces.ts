import type { LoadedMethod } from '../proto/index.js';
import type { CallObserver } from './call-observer.js';
import type { MethodBinding } from './method-binding.js';

/** One bound rpc, as another face of the app (the web listener) serves it through the same path. */
export interface BoundMethod {
  readonly method: LoadedMethod;
  readonly binding: MethodBinding;
}

/** What the app was bound with, for faces that serve it besides grpc-js. */
export interface BoundApp {
  readonly methods: readonly BoundMethod[];
  /** The observers every call is counted and admitted by (metrics, limiter, shedder). */
  readonly observers: readonly CallObserver[];
}

/** A listener besides the gRPC port that the app drains and closes with its own. */
export interface AppFace {
  /** Stops accepting connections; those open finish what they serve and close when idle. */
  stopAccepting(): void;
  /** Resolves once every connection of the face has closed. */
  whenClosed(): Promise<void>;
  /** Closes what is still open (the shutdown timeout passed). */
  destroy(): void;
}

const bound = new WeakMap<object, BoundApp>();
const faces = new WeakMap<object, AppFace[]>();

/** Records how `app`'s methods were bound (called once, by the app itself). */
export function recordBoundApp(app: object, record: BoundApp): void {
  bound.set(app, record);
}

/** How `app`'s methods were bound; throws for an object that is not a booted app. */
export function boundAppOf(app: object): BoundApp {
  const record = bound.get(app);
  if (!record) throw new TypeError('not an RpcApplication created by RpcApplication.create');
  return record;
}

/** Adds a face that `app.close()` drains and closes along with the gRPC port. */
export function addAppFace(app: object, face: AppFace): void {
  const list = faces.get(app);
  if (list) list.push(face);
  else faces.set(app, [face]);
}

/** The faces added to `app`. */
export function appFacesOf(app: object): readonly AppFace[] {
  return faces.get(app) ?? [];
}
