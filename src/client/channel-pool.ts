import { type ChannelCredentials, type ChannelOptions, Client as GrpcClient } from '@grpc/grpc-js';
import { ConfigurationError } from '../errors/index.js';
import { clientInvalid } from './check-client-options.js';
import { checkServiceConfig } from './check-service-config.js';
import type { ClientSettings } from './client-settings.js';
import { defaultKeepalive, keepaliveChannelOptions } from './keepalive.js';
import { loadBalancingConfigFor } from './load-balancing-config.js';
import { DEFAULT_RETRY_THROTTLING, mergeServiceConfig, serviceConfigFor } from './service-config.js';
import { invalidTarget, targetProblem } from './target.js';

/**
 * Channel options every client channel starts from, below the keepalive preset of its target
 * (see `keepalive`): no service config from DNS TXT records (the layer's own config applies), and
 * channelz off (nothing reads it; grpc-js otherwise keeps per-call bookkeeping for it;
 * `'grpc.enable_channelz': 1` turns it back on).
 */
export const DEFAULT_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
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

/** The settings one channel has once for all its clients; clients of one target must agree on them. */
function channelSettings(target: string, client: ClientSettings, layerOptions: ChannelOptions) {
  const { options } = client;
  const throttling = options.retryThrottling === false ? undefined : (options.retryThrottling ?? DEFAULT_RETRY_THROTTLING);
  return {
    loadBalancing: loadBalancingConfigFor(client.service.name, options),
    throttling,
    channelOptions: {
      ...keepaliveChannelOptions(options.keepalive ?? defaultKeepalive(target)),
      ...layerOptions,
      ...options.channelOptions,
    } as ChannelOptions,
  };
}

function openChannel(
  target: string,
  clients: readonly ClientSettings[],
  credentials: ChannelCredentials,
  layerOptions: ChannelOptions,
): ChannelEntry {
  const first = clients[0] as ClientSettings;
  const shared = channelSettings(target, first, layerOptions);
  const sharedJson = JSON.stringify(shared);
  for (const other of clients.slice(1)) {
    if (JSON.stringify(channelSettings(target, other, layerOptions)) !== sharedJson) {
      throw new ConfigurationError(
        'KRPC_CLIENT_INVALID',
        `Clients ${first.service.name} and ${other.service.name} share target "${target}" but ask for different channel settings`,
        {
          service: `${first.service.name}, ${other.service.name}`,
          fix: 'they share one channel: give them the same loadBalancing, outlierDetection, keepalive, retryThrottling and channelOptions',
        },
      );
    }
  }
  const { 'grpc.service_config': userConfig, ...options } = shared.channelOptions;
  const framework = serviceConfigFor(clients, shared.loadBalancing, shared.throttling);
  const config = userConfig === undefined ? framework : mergeServiceConfig(framework, parseUser(first, userConfig));
  let client: GrpcClient;
  try {
    client = new GrpcClient(target, credentials, { ...DEFAULT_CHANNEL_OPTIONS, ...options, 'grpc.service_config': JSON.stringify(config) });
  } catch (error) {
    // grpc-js refuses a bad service config and a bad target alike: a probe with a known-good target tells which
    checkServiceConfig(first.service.name, config);
    throw invalidTarget(first.service.name, target, error instanceof Error ? error.message : String(error), error);
  }
  const problem = targetProblem(target, client.getChannel().getTarget());
  if (problem) {
    client.close();
    throw invalidTarget(first.service.name, target, `${problem} (from ${first.targetFrom})`);
  }
  return { target, client };
}

function parseUser(client: ClientSettings, raw: unknown): Record<string, unknown> {
  try {
    const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw clientInvalid(
    client.service.name,
    "channelOptions['grpc.service_config'] is not a JSON object",
    'give a service config as JSON ({"methodConfig": [...]}); it is merged with the framework\'s',
  );
}
