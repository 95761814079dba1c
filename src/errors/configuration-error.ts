/** Stable codes of the boot-time errors; match on these, not on messages. */
export type ConfigurationErrorCode =
  | 'KRPC_PROTO_NOT_FOUND'
  | 'KRPC_PROTO_INVALID'
  | 'KRPC_SERVICE_NOT_IN_PROTO'
  | 'KRPC_RPC_NOT_IN_SERVICE'
  | 'KRPC_RPC_NOT_IMPLEMENTED'
  | 'KRPC_DUPLICATE_SERVICE'
  | 'KRPC_HANDLER_NOT_A_FUNCTION'
  | 'KRPC_UNRESOLVED_DEPENDENCY'
  | 'KRPC_DEPENDENCY_CYCLE'
  | 'KRPC_NOT_A_MODULE'
  | 'KRPC_NOT_A_SERVICE'
  | 'KRPC_PORT_IN_USE'
  | 'KRPC_LISTEN_FAILED'
  | 'KRPC_CONFIG_INVALID'
  | 'KRPC_CONFIG_NOT_FOUND'
  | 'KRPC_CLIENT_INVALID'
  | 'KRPC_TARGET_INVALID'
  | 'KRPC_LIFECYCLE_FAILED'
  | 'KRPC_SERVICE_NOT_FOUND'
  | 'KRPC_REQUEST_INVALID'
  | 'KRPC_CALL_UNSUPPORTED'
  | 'KRPC_NOT_A_PROJECT'
  | 'KRPC_TYPESCRIPT_NOT_FOUND'
  | 'KRPC_TRACING_INVALID';

/** Where a configuration error is, as precisely as it is known. */
export interface ConfigurationErrorContext {
  readonly className?: string;
  readonly methodName?: string;
  readonly protoFile?: string;
  readonly service?: string;
  /** What to do about it, in one sentence. */
  readonly fix?: string;
  readonly cause?: unknown;
}

const brand = Symbol.for('kubernetes-rpc.ConfigurationError');

/**
 * A misconfigured application, found at boot. The message names the class, method and proto
 * file involved and says how to fix it; `code` is stable.
 */
export class ConfigurationError extends Error {
  readonly code: ConfigurationErrorCode;
  readonly context: ConfigurationErrorContext;

  constructor(code: ConfigurationErrorCode, problem: string, context: ConfigurationErrorContext = {}) {
    super(formatMessage(problem, context), context.cause === undefined ? undefined : { cause: context.cause });
    this.name = 'ConfigurationError';
    this.code = code;
    this.context = context;
    Object.defineProperty(this, brand, { value: true });
  }

  /** True for a `ConfigurationError` from any copy of this package. */
  static is(value: unknown): value is ConfigurationError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

function formatMessage(problem: string, ctx: ConfigurationErrorContext): string {
  const where: string[] = [];
  if (ctx.className) where.push(`class ${ctx.className}${ctx.methodName ? `, method ${ctx.methodName}` : ''}`);
  else if (ctx.methodName) where.push(`method ${ctx.methodName}`);
  if (ctx.service) where.push(`service ${ctx.service}`);
  if (ctx.protoFile) where.push(`proto ${ctx.protoFile}`);
  let message = problem;
  if (where.length > 0) message += `\n  at: ${where.join('; ')}`;
  if (ctx.fix) message += `\n  fix: ${ctx.fix}`;
  return message;
}
