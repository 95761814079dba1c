import { type KrpcProcess, spawnKrpc, spawnProcess } from '../../support/krpc-process.js';

/** An app started by `krpc-app start` with its web port on. */
export interface WebApp {
  readonly proc: KrpcProcess;
  /** The gRPC port. */
  readonly port: number;
  readonly webPort: number;
  readonly runtimePort: number;
  /** `http://127.0.0.1:<webPort>` */
  readonly base: string;
}

export const PROBE_APP = 'test/web/fixtures/probe-app';

/** `krpc-app start <dir>` on free ports (web port included), resolved once it logs that it listens. */
export async function startWebApp(dir: string, env: Record<string, string> = {}): Promise<WebApp> {
  const proc = spawnKrpc(['start', dir, '--host', '127.0.0.1'], {
    KRPC_PORT: '0',
    KRPC_RUNTIME_PORT: '0',
    KRPC_RUNTIME_HOST: '127.0.0.1',
    KRPC_WEB_PORT: '0',
    ...env,
  });
  const line = await proc.waitForLog(/krpc-app listening/, 30_000);
  const webPort = line.webPort as number;
  return { proc, port: line.port as number, webPort, runtimePort: line.runtimePort as number, base: `http://127.0.0.1:${webPort}` };
}

/** What curl printed for one request: the final status line's code, the headers (lower-case) and the body. */
export interface CurlResult {
  readonly exitCode: number | string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly stderr: string;
}

/** Runs the real curl binary with `-sS -i` and `args`; interim 1xx responses are skipped. */
export async function curl(args: readonly string[]): Promise<CurlResult> {
  const proc = spawnProcess('/usr/bin/curl', ['-sS', '-i', '--max-time', '30', ...args]);
  const exitCode = await proc.exited;
  let text = proc.stdout;
  let head = '';
  for (;;) {
    const end = text.indexOf('\r\n\r\n');
    head = end < 0 ? text : text.slice(0, end);
    text = end < 0 ? '' : text.slice(end + 4);
    if (!/^HTTP\/[\d.]+ 1\d\d/.test(head)) break;
  }
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { exitCode, status: Number(statusLine.split(' ')[1] ?? 0), headers, body: text, stderr: proc.stderr };
}

/** curl POSTing `json` to `url` (Connect unary JSON), with extra curl `args`. */
export function postJson(url: string, json: unknown, args: readonly string[] = []): Promise<CurlResult> {
  return curl([
    '-H',
    'content-type: application/json',
    '--data-binary',
    typeof json === 'string' ? json : JSON.stringify(json),
    ...args,
    url,
  ]);
}
