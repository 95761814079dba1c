export { type InjectOptions, Inject, InjectClient } from './inject.js';
export { type InjectableOptions, Injectable } from './injectable.js';
export { Module } from './module.js';
export { RpcMethod } from './rpc-method.js';
export { RpcService } from './rpc-service.js';
