import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/krpc-process.js';

const run = promisify(execFile);
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

async function cruise(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [DEPCRUISE, 'dist/src', '--config', join(ROOT, '.dependency-cruiser.cjs')], { cwd });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, output: e.stdout };
  }
}

describe('import direction', () => {
  it('the built library respects the layers', async () => {
    expect(existsSync(join(ROOT, 'dist/src/index.js'))).toBe(true);
    const result = await cruise(ROOT);
    expect(result.output).toMatch(/no dependency violations found/);
    expect(result.code).toBe(0);
  });

  it.each([
    ['errors/status.js', '../server/index.js', 'errors-is-a-leaf'],
    ['client/client-observer.js', '../server/index.js', 'client-never-imports-server-or-above'],
    ['server/index.js', '../client/client-observer.js', 'server-never-imports-client-or-above'],
    ['di/index.js', '../server/index.js', 'no-cycles'],
    ['app/start-app.js', './tracing-sdk.js', 'opentelemetry-only-behind-the-tracing-check'],
    ['server/server-call.js', '@opentelemetry/api', 'opentelemetry-only-behind-the-tracing-check'],
    ['tracing/server-tracer.js', '../server/index.js', 'tracing-imports-errors-and-types'],
    ['web/index.js', '../runtime/index.js', 'web-beside-server'],
    ['runtime/index.js', '../web/index.js', 'core-never-loads-web'],
  ])('fails when %s imports %s (%s)', async (file, target, rule) => {
    const copy = mkdtempSync(join(tmpdir(), 'krpc-layers-'));
    cpSync(join(ROOT, 'dist/src'), join(copy, 'dist/src'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
    appendFileSync(join(copy, 'dist/src', file), `\nimport '${target}';\n`);
    const result = await cruise(copy);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(rule);
  });
});
