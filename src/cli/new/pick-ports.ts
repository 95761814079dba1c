import { createServer } from 'node:net';

/** The gRPC and runtime ports `krpc-app new` writes into a project's krpc.config.json. */
export interface ProjectPorts {
  readonly port: number;
  readonly runtimePort: number;
}

const SLOTS = 900;
const GRPC_BASE = 50100;
const RUNTIME_BASE = 51100;

/**
 * Ports derived from the project's name (gRPC 50100–50999, runtime the same + 1000), so two
 * projects on one machine do not both take 50051 and 9464, and the same name always gets the
 * same ports; a slot whose ports are in use on this machine now is skipped for the next one.
 */
export async function pickProjectPorts(name: string): Promise<ProjectPorts> {
  const first = fnv1a(name) % SLOTS;
  for (let i = 0; i < SLOTS; i++) {
    const slot = (first + i) % SLOTS;
    const ports = { port: GRPC_BASE + slot, runtimePort: RUNTIME_BASE + slot };
    if ((await isFree(ports.port)) && (await isFree(ports.runtimePort))) return ports;
  }
  return { port: GRPC_BASE + first, runtimePort: RUNTIME_BASE + first };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port }, () => server.close(() => resolve(true)));
  });
}
