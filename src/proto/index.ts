export { type CallKind, callKind } from './call-kind.js';
export {
  DEFAULT_LOADER_OPTIONS,
  type LoadedMethod,
  type LoadedProtos,
  type LoadedService,
  type LoadProtosOptions,
  loadProtos,
  type ProtoLoaderOptions,
  resolveProtoPath,
} from './load-protos.js';
