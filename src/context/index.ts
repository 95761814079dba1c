export {
  type CallScope,
  type CallScopeMode,
  configureCallScope,
  currentCallScope,
  currentCallScopeForUser,
  requireCallScopeAcrossAwaits,
  runInCallScope,
} from './call-scope.js';
