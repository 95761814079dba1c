import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, spawnProcess } from '../support/krpc-process.js';
import { commandSucceeds, requirePeer } from '../support/peers.js';
import { startWebApp, type WebApp } from './support/web-app.js';

const hasCurl = requirePeer('curl', commandSucceeds('/usr/bin/curl', ['--version']), 'apt-get install curl');

/** The `curl …` lines of docs/web.md's sh blocks, each with the `# → …` line after it. */
function examples(): { command: string; expected: string }[] {
  const text = readFileSync(join(ROOT, 'docs', 'web.md'), 'utf8');
  const found: { command: string; expected: string }[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = (block[1] ?? '').split('\n');
    lines.forEach((line, i) => {
      const next = lines[i + 1] ?? '';
      if (line.startsWith('curl ') && next.startsWith('# → ')) found.push({ command: line, expected: next.slice('# → '.length) });
    });
  }
  return found;
}

describe.skipIf(!hasCurl)('docs/web.md: the curl examples run as written against samples/greeter', () => {
  let app: WebApp;
  beforeAll(async () => {
    app = await startWebApp('samples/greeter');
  });
  afterAll(async () => {
    await app?.proc.stop();
  });

  it('finds the examples', () => {
    expect(examples().length).toBeGreaterThanOrEqual(5);
  });

  for (const { command, expected } of examples()) {
    it(command, async () => {
      // the docs' port is the greeter's configured 8080; the test's app listens on a free one
      const proc = spawnProcess('/bin/sh', ['-c', command.replaceAll('localhost:8080', `127.0.0.1:${app.webPort}`)]);
      expect(await proc.exited).toBe(0);
      expect(proc.stdout.trim()).toBe(expected);
    });
  }
});
