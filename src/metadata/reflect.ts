// The polyfill without Map/Set/WeakMap shims: the copy inversify loads too.
import 'reflect-metadata/lite';
import * as keys from './keys.js';
import type { Constructor, InterceptorRef, MethodMetadata, ModuleOptions, ParamInjection, Scope, ServiceMetadata } from './types.js';

type Target = object;

function own<T>(key: symbol, target: Target): T | undefined {
  return Reflect.getOwnMetadata(key, target) as T | undefined;
}

export function setServiceMetadata(target: Constructor, meta: ServiceMetadata): void {
  Reflect.defineMetadata(keys.SERVICE, meta, target);
}
export function getServiceMetadata(target: Constructor): ServiceMetadata | undefined {
  return own<ServiceMetadata>(keys.SERVICE, target);
}

export function addMethodMetadata(target: Constructor, meta: MethodMetadata): void {
  const list = [...getMethodMetadata(target).filter((m) => m.propertyKey !== meta.propertyKey), meta];
  Reflect.defineMetadata(keys.METHODS, list, target);
}
/** The `@RpcMethod`s of a class and its base classes (a subclass overrides by method name). */
export function getMethodMetadata(target: Constructor): readonly MethodMetadata[] {
  return (Reflect.getMetadata(keys.METHODS, target) as MethodMetadata[] | undefined) ?? [];
}

export function setModuleMetadata(target: Constructor, meta: ModuleOptions): void {
  Reflect.defineMetadata(keys.MODULE, meta, target);
}
export function getModuleMetadata(target: Constructor): ModuleOptions | undefined {
  return own<ModuleOptions>(keys.MODULE, target);
}

export function setInjectableScope(target: Constructor, scope: Scope): void {
  Reflect.defineMetadata(keys.INJECTABLE, { scope }, target);
}
export function getInjectableScope(target: Constructor): Scope | undefined {
  return own<{ scope: Scope }>(keys.INJECTABLE, target)?.scope;
}

export function setParamInjection(target: Constructor, index: number, injection: ParamInjection): void {
  const map = new Map(getParamInjections(target));
  map.set(index, injection);
  Reflect.defineMetadata(keys.PARAM_INJECT, map, target);
}
export function getParamInjections(target: Constructor): ReadonlyMap<number, ParamInjection> {
  return own<Map<number, ParamInjection>>(keys.PARAM_INJECT, target) ?? new Map();
}

/** Constructor parameter types emitted by TypeScript (`emitDecoratorMetadata`), if any. */
export function getDesignParamTypes(target: Constructor): readonly unknown[] | undefined {
  return Reflect.getOwnMetadata(keys.DESIGN_PARAMTYPES, target) as unknown[] | undefined;
}

export function addInterceptors(target: Target, propertyKey: string | undefined, refs: readonly InterceptorRef[]): void {
  const existing = getInterceptors(target, propertyKey);
  if (propertyKey === undefined) Reflect.defineMetadata(keys.INTERCEPTORS, [...existing, ...refs], target);
  else Reflect.defineMetadata(keys.INTERCEPTORS, [...existing, ...refs], target, propertyKey);
}
/** Interceptors on a class (no `propertyKey`) or on one method of its prototype. */
export function getInterceptors(target: Target, propertyKey?: string): readonly InterceptorRef[] {
  const found =
    propertyKey === undefined
      ? Reflect.getOwnMetadata(keys.INTERCEPTORS, target)
      : Reflect.getOwnMetadata(keys.INTERCEPTORS, target, propertyKey);
  return (found as InterceptorRef[] | undefined) ?? [];
}
