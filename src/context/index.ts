export {
  type CallScope,
  type CallScopeMode,
  callScopeFollowsAwaits,
  configureCallScope,
  currentCallScope,
  currentCallScopeForUser,
  requireCallScopeAcrossAwaits,
  runInCallScope,
} from './call-scope.js';
