export { type CallScope, currentCallScope, runInCallScope } from './call-scope.js';
