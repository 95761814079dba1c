export {
  type ConfigurationErrorCode,
  type ConfigurationErrorContext,
  ConfigurationError,
} from './configuration-error.js';
export { type RpcErrorOptions, type StatusLike, RpcError } from './rpc-error.js';
export { type ErrorDetail, decodeStatusDetails, encodeStatusDetails } from './status-details.js';
export { Status, statusName } from './status.js';
export { closest } from './suggest.js';
