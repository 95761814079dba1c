import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process whose stdout JSON lines are collected; `waitFor` polls them. */
export class Child {
  readonly process: ChildProcess;
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  constructor(command: string, args: readonly string[], env: Record<string, string> = {}) {
    this.process = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.process.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a log line that is not JSON
      }
    });
    this.process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
  }

  /** Resolves with the first line matching `predicate`; rejects on exit or after `timeoutMs`. */
  waitFor(predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const deadline = performance.now() + timeoutMs;
      let exited = false;
      void this.exited.then(() => {
        exited = true;
      });
      const poll = () => {
        const found = this.lines.find(predicate);
        if (found) return resolve(found);
        if (exited) return reject(new Error(`child exited before the expected line; stderr: ${this.stderr}`));
        if (performance.now() > deadline)
          return reject(new Error(`timed out after ${timeoutMs} ms; lines: ${JSON.stringify(this.lines)} stderr: ${this.stderr}`));
        setTimeout(poll, 10);
      };
      poll();
    });
  }

  /** Kills the child if it still runs and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    await this.exited;
  }
}
