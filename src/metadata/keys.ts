/** Every reflect-metadata key the framework uses. Only `./reflect.ts` reads or writes them. */
export const SERVICE = Symbol.for('kubernetes-rpc:service');
export const METHODS = Symbol.for('kubernetes-rpc:methods');
export const MODULE = Symbol.for('kubernetes-rpc:module');
export const INJECTABLE = Symbol.for('kubernetes-rpc:injectable');
export const PARAM_INJECT = Symbol.for('kubernetes-rpc:param-inject');
export const INTERCEPTORS = Symbol.for('kubernetes-rpc:interceptors');
export const DESIGN_PARAMTYPES = 'design:paramtypes';
