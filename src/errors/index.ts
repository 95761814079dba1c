export {
  ConfigurationError,
  type ConfigurationErrorCode,
  type ConfigurationErrorContext,
} from './configuration-error.js';
export { RpcError, type RpcErrorOptions, type StatusLike } from './rpc-error.js';
export { Status, statusName } from './status.js';
export { decodeStatusDetails, type ErrorDetail, encodeStatusDetails } from './status-details.js';
export { closest } from './suggest.js';
