export { type CallScope, callScopeFollowsAwaits, currentCallScope, runInCallScope } from './call-scope.js';
