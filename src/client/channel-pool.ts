import { type ChannelCredentials, type ChannelOptions, Client as GrpcClient } from '@grpc/grpc-js';
import { ConfigurationError } from '../errors/index.js';
import type { ClientSettings } from './client-settings.js';
import { serviceConfigFor } from './service-config.js';
import { invalidTarget, targetProblem } from './target.js';

/**
 * Channel options every client channel starts from: a keepalive ping after 60 s without
 * activity on a connection that has calls (answered within 20 s or the connection is
 * dropped and calls fail over), none on idle connections, no service config from DNS
 * TXT records (the layer's own config applies), and channelz off (nothing reads it; grpc-js
 * otherwise keeps per-call bookkeeping for it; `'grpc.enable_channelz': 1` turns it back on).
 */
export const DEFAULT_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 0,
  'grpc.service_config_disable_resolution': 1,
  'grpc.enable_channelz': 0,
});

/** One channel (a grpc-js generic client) and the target it serves. */
export interface ChannelEntry {
  readonly target: string;
  readonly client: GrpcClient;
}

/** Opens one channel per distinct target, shared by every client of that target. */
export function openChannels(
  settings: Iterable<ClientSettings>,
  credentials: ChannelCredentials,
  channelOptions: ChannelOptions,
): Map<string, ChannelEntry> {
  const byTarget = new Map<string, ClientSettings[]>();
  for (const client of settings) {
    const list = byTarget.get(client.target) ?? [];
    list.push(client);
    byTarget.set(client.target, list);
  }
  const channels = new Map<string, ChannelEntry>();
  try {
    for (const [target, clients] of byTarget) channels.set(target, openChannel(target, clients, credentials, channelOptions));
  } catch (error) {
    for (const entry of channels.values()) entry.client.close();
    throw error;
  }
  return channels;
}

function openChannel(
  target: string,
  clients: readonly ClientSettings[],
  credentials: ChannelCredentials,
  channelOptions: ChannelOptions,
): ChannelEntry {
  const first = clients[0] as ClientSettings;
  const policies = new Set(clients.map((c) => c.options.loadBalancing ?? 'round_robin'));
  if (policies.size > 1) {
    throw new ConfigurationError(
      'KRPC_CLIENT_INVALID',
      `Clients sharing target "${target}" ask for different load balancing: ${[...policies].join(', ')}`,
      {
        service: clients.map((c) => c.service.name).join(', '),
        fix: 'they share one channel: give them the same loadBalancing option',
      },
    );
  }
  const config = serviceConfigFor(clients, [...policies][0] as string);
  let client: GrpcClient;
  try {
    client = new GrpcClient(target, credentials, {
      ...DEFAULT_CHANNEL_OPTIONS,
      ...channelOptions,
      'grpc.service_config': JSON.stringify(config),
    });
  } catch (error) {
    throw invalidTarget(first.service.name, target, error instanceof Error ? error.message : String(error), error);
  }
  const problem = targetProblem(target, client.getChannel().getTarget());
  if (problem) {
    client.close();
    throw invalidTarget(first.service.name, target, `${problem} (from ${first.targetFrom})`);
  }
  return { target, client };
}
