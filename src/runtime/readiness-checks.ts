import { ConfigurationError } from '../errors/index.js';

/**
 * A readiness check: resolves (to anything but `false`) when the dependency is usable; throws,
 * rejects or returns `false` when it is not. `signal` aborts at the check's timeout.
 */
export type ReadinessCheck = (signal: AbortSignal) => unknown;

/** Options of {@link ReadinessChecks.add}. */
export interface ReadinessCheckOptions {
  /** A check still running after this long fails (default 1000 ms). */
  readonly timeoutMs?: number;
  /** A result is reused for this long, so a probe storm runs the check at most once per window (default 1000 ms). */
  readonly cacheMs?: number;
}

/** The outcome of one check. */
export interface ReadinessCheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed. */
  readonly error?: string;
  readonly durationMs: number;
}

/** The outcome of every check. */
export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: readonly ReadinessCheckResult[];
}

interface Entry {
  readonly check: ReadinessCheck;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  result?: ReadinessCheckResult;
  at: number;
  pending?: Promise<ReadinessCheckResult>;
}

/**
 * The app's readiness checks, run by `/readyz` and the gRPC health `readiness` service. Inject it
 * by type and add checks in a constructor or `onInit`. Each check has a timeout; its result is
 * cached, and concurrent probes share one run.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class Database implements OnInit {
 *   constructor(private readonly checks: ReadinessChecks) {}
 *   onInit() { this.checks.add('database', (signal) => this.ping(signal), { timeoutMs: 500, cacheMs: 2000 }); }
 * }
 * ```
 */
export class ReadinessChecks {
  private readonly entries = new Map<string, Entry>();

  /** Adds a check; names are unique. */
  add(name: string, check: ReadinessCheck, options: ReadinessCheckOptions = {}): void {
    if (this.entries.has(name)) {
      throw new ConfigurationError('KRPC_CONFIG_INVALID', `A readiness check named ${JSON.stringify(name)} is already registered`, {
        fix: 'give each readiness check its own name',
      });
    }
    this.entries.set(name, { check, timeoutMs: options.timeoutMs ?? 1000, cacheMs: options.cacheMs ?? 1000, at: 0 });
  }

  /** Removes a check; true when there was one. */
  remove(name: string): boolean {
    return this.entries.delete(name);
  }

  /** The names of the checks, in the order added. */
  get names(): readonly string[] {
    return [...this.entries.keys()];
  }

  /** Runs every check (or reuses its cached result) in parallel. */
  async run(): Promise<ReadinessReport> {
    const checks = await Promise.all([...this.entries].map(([name, entry]) => this.resultOf(name, entry)));
    return { ok: checks.every((c) => c.ok), checks };
  }

  private resultOf(name: string, entry: Entry): Promise<ReadinessCheckResult> {
    if (entry.result && performance.now() - entry.at < entry.cacheMs) return Promise.resolve(entry.result);
    entry.pending ??= execute(name, entry).then((result) => {
      entry.result = result;
      entry.at = performance.now();
      entry.pending = undefined;
      return result;
    });
    return entry.pending;
  }
}

async function execute(name: string, entry: Entry): Promise<ReadinessCheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${entry.timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, entry.timeoutMs);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(() => entry.check(controller.signal)), timeout]);
    const durationMs = Math.round(performance.now() - started);
    return value === false ? { name, ok: false, error: 'check returned false', durationMs } : { name, ok: true, durationMs };
  } catch (error) {
    return {
      name,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
  }
}
