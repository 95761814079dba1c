import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';

/** One finished compilation of `tsc --watch`. */
export interface Compilation {
  readonly errors: number;
  /** What tsc printed for it (the diagnostics, with file:line:column and the code frame). */
  readonly output: string;
}

/** A running `tsc --watch`. */
export interface TscWatch {
  /** True between "File change detected" and "Found N errors". */
  readonly compiling: boolean;
  /** Kills tsc and waits for it to end. */
  close(): Promise<void>;
}

/** Options of {@link watchTsc}. */
export interface TscWatchOptions {
  readonly tsc: string;
  readonly dir: string;
  /** The tsconfig to compile with. */
  readonly tsconfig: string;
  /** Keep tsc's colours (dev's stdout is a terminal). */
  readonly colors: boolean;
  readonly onCompiling: () => void;
  readonly onCompiled: (compilation: Compilation) => void;
  /** tsc ended on its own (a bad tsconfig, a crash). */
  readonly onExit: (code: number | string) => void;
}

const FOUND = /Found (\d+) errors?\b.*Watching for file changes/;
const STARTING = /Starting (incremental )?compilation|File change detected/;

/**
 * The project's own `tsc --watch --preserveWatchOutput --pretty`: incremental, and it emits what
 * `tsc` emits (decorator metadata included), which a bundler would not. It runs in a process
 * group of its own, which `close` ends as a whole.
 */
export function watchTsc(options: TscWatchOptions): TscWatch {
  const child: ChildProcess = spawn(
    process.execPath,
    [options.tsc, '-p', options.tsconfig, '--watch', '--preserveWatchOutput', '--pretty'],
    {
      cwd: options.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      // typescript's bin/tsc runs the native compiler as its own child: signal the whole group
      detached: true,
    },
  );
  let compiling = true;
  let output: string[] = [];
  const onLine = (raw: string) => {
    const text = stripVTControlCharacters(raw);
    if (STARTING.test(text)) {
      compiling = true;
      output = [];
      options.onCompiling();
      return;
    }
    const found = FOUND.exec(text);
    if (found) {
      compiling = false;
      options.onCompiled({ errors: Number(found[1]), output: output.join('\n').trim() });
      output = [];
      return;
    }
    output.push(options.colors ? raw : text);
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  const exited = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      if (!closing) options.onExit(code ?? signal ?? 0);
      resolve();
    }),
  );
  let closing = false;
  return {
    get compiling() {
      return compiling;
    },
    close: () => {
      closing = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      return exited;
    },
  };
}
