export { type CallScope, callScopeFollowsAwaits, configureCallScope, currentCallScope, runInCallScope } from './call-scope.js';
