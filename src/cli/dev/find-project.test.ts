import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findProject } from './find-project.js';

// inside the checkout, so that the project's `typescript` resolves to this repository's
const cache = join(process.cwd(), 'node_modules', '.cache');
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function project(files: Record<string, object>): string {
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'krpc-find-project-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries({ 'package.json': { type: 'module' }, ...files })) {
    writeFileSync(join(dir, name), JSON.stringify(content));
  }
  return dir;
}

describe('findProject', () => {
  it("compiles with tsconfig.json's outDir when it is the only tsconfig (what krpc-app new writes)", async () => {
    const dir = project({ 'tsconfig.json': { compilerOptions: { outDir: 'dist' } } });
    expect(await findProject(dir)).toMatchObject({ tsconfig: join(dir, 'tsconfig.json'), outDir: join(dir, 'dist') });
  });

  it('compiles with tsconfig.build.json when there is one (the two-tsconfig layout of the getting-started guide)', async () => {
    const dir = project({
      'tsconfig.json': { compilerOptions: { noEmit: true } },
      'tsconfig.build.json': { extends: './tsconfig.json', compilerOptions: { noEmit: false, outDir: 'dist' } },
    });
    expect(await findProject(dir)).toMatchObject({ tsconfig: join(dir, 'tsconfig.build.json'), outDir: join(dir, 'dist') });
  });

  it('refuses a tsconfig without outDir, naming the file', async () => {
    const dir = project({ 'tsconfig.json': { compilerOptions: {} } });
    await expect(findProject(dir)).rejects.toThrow(/tsconfig\.json sets no compilerOptions\.outDir/);
  });
});
