export { Inject, InjectClient, type InjectOptions } from './inject.js';
export { Injectable, type InjectableOptions } from './injectable.js';
export { Module } from './module.js';
export { RpcMethod } from './rpc-method.js';
export { RpcService } from './rpc-service.js';
