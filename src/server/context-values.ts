/**
 * A typed key for a value a call's context carries, e.g. what an auth interceptor found for the
 * handler. Create one per value, once, and share it.
 *
 * @example
 * ```ts
 * export const USER = createContextKey<User | undefined>(undefined, { description: 'the caller' });
 * // in an interceptor: ctx.values.set(USER, await users.fromToken(ctx.header('authorization')));
 * // in a handler:      const user = ctx.values.get(USER);
 * ```
 */
export interface ContextKey<T> {
  readonly id: symbol;
  /** What {@link ContextValues.get} returns while the key is not set. */
  readonly defaultValue: T;
  readonly description: string;
}

/** Creates a {@link ContextKey} with the value it reads as until set. */
export function createContextKey<T>(defaultValue: T, options: { readonly description?: string } = {}): ContextKey<T> {
  const description = options.description ?? 'context value';
  return { id: Symbol(description), defaultValue, description };
}

/** The values of one call, by {@link ContextKey}. */
export interface ContextValues {
  /** The value set for `key`, or its default. */
  get<T>(key: ContextKey<T>): T;
  set<T>(key: ContextKey<T>, value: T): this;
  has(key: ContextKey<unknown>): boolean;
  delete(key: ContextKey<unknown>): this;
}

/** The {@link ContextValues} of one call. */
export class CallValues implements ContextValues {
  private readonly map = new Map<symbol, unknown>();

  get<T>(key: ContextKey<T>): T {
    return this.map.has(key.id) ? (this.map.get(key.id) as T) : key.defaultValue;
  }

  set<T>(key: ContextKey<T>, value: T): this {
    this.map.set(key.id, value);
    return this;
  }

  has(key: ContextKey<unknown>): boolean {
    return this.map.has(key.id);
  }

  delete(key: ContextKey<unknown>): this {
    this.map.delete(key.id);
    return this;
  }
}
