import { type Constructor, type Scope, setInjectableScope } from '../metadata/index.js';

/** Options of `@Injectable`. */
export interface InjectableOptions {
  /** `singleton` (default): one instance per app; `transient`: a new instance per injection. */
  readonly scope?: Scope;
}

/**
 * Marks a class as a provider whose constructor parameters are injected by type (and by
 * `@Inject` tokens). List it in a module's `providers`.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class GreetingRepository { constructor(private readonly db: Database) {} }
 * ```
 */
export function Injectable(options: InjectableOptions = {}): ClassDecorator {
  return (target) => {
    setInjectableScope(target as unknown as Constructor, options.scope ?? 'singleton');
  };
}
