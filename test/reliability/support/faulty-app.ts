import { join } from 'node:path';
import {
  type ChannelOptions,
  type Client,
  credentials,
  loadPackageDefinition,
  type ServiceClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { waitFor } from '../../support/fault-cluster/wait.mjs';
import { type KrpcProcess, ROOT, spawnNode } from '../../support/krpc-process.js';

/** The faulty fixture app's directory. */
export const FAULTY_APP = join(ROOT, 'test', 'reliability', 'fixtures', 'faulty-app');

/** Counters and measurements the faulty app's Stats rpc reports. */
export interface FaultyStats {
  readonly started: number;
  readonly aborted: number;
  readonly settled: number;
  readonly inFlight: number;
  /** `heapUsed` right after a full GC (the child runs with --expose-gc). */
  readonly heapUsed: number;
  /** `process.getActiveResourcesInfo().length`. */
  readonly resources: number;
  readonly resourceTypes: readonly string[];
}

/**
 * Starts the faulty app in a child (`serve-faulty.mjs`: loadAppConfig + startApp, as
 * `krpc-app start` does) with `--expose-gc`, JSON logs, free ports and `env` on top.
 */
export function spawnFaulty(env: Record<string, string> = {}): KrpcProcess {
  return spawnNode([join(ROOT, 'test', 'reliability', 'fixtures', 'serve-faulty.mjs'), FAULTY_APP], {
    KRPC_PORT: '0',
    KRPC_RUNTIME_PORT: '0',
    NODE_OPTIONS: '--expose-gc',
    ...env,
  });
}

/** A grpc-js client of `reliability.Faulty` (methods as in grpc-js: callbacks and streams). */
export type FaultyClient = Client & Record<string, Function>;

/** A plain grpc-js client for the faulty app, with channel options (e.g. its own connection). */
export function faultyClient(port: number, options: ChannelOptions = {}): FaultyClient {
  const def = loadSync('proto/faulty.proto', { includeDirs: [FAULTY_APP] });
  const pkg = loadPackageDefinition(def) as unknown as { reliability: { Faulty: ServiceClientConstructor } };
  return new pkg.reliability.Faulty(`127.0.0.1:${port}`, credentials.createInsecure(), options) as unknown as FaultyClient;
}

/** The faulty app's counters, read through its Stats rpc. */
export function readStats(client: FaultyClient): Promise<FaultyStats> {
  return new Promise((resolve, reject) =>
    client.stats({}, (e: ServiceError | null, r: { text: string }) => (e ? reject(e) : resolve(JSON.parse(r.text) as FaultyStats))),
  );
}

/** Reads Stats until `predicate` holds, resolving with that reading; rejects naming `what` after `timeoutMs`. */
export function waitForStats(
  client: FaultyClient,
  predicate: (s: FaultyStats) => boolean,
  { what, timeoutMs = 10_000 }: { what: string; timeoutMs?: number },
): Promise<FaultyStats> {
  let last: FaultyStats | undefined;
  return waitFor<FaultyStats | undefined>(
    async () => {
      last = await readStats(client);
      return predicate(last) ? last : undefined;
    },
    { what, timeoutMs, intervalMs: 5 },
  ).then(
    (stats) => stats as FaultyStats,
    (error: Error) => {
      throw new Error(`${error.message}; last stats: ${JSON.stringify(last)}`);
    },
  );
}
