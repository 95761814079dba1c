export { type CallScope, currentCallScope, currentCallScopeForUser, runInCallScope, type ScopeMode } from './call-scope.js';
