import { Channel, credentials } from '@grpc/grpc-js';
import { clientInvalid } from './check-client-options.js';

/**
 * Checks a service config with grpc-js's own parser (an idle channel, never connected, reads it as
 * the real one will) and returns it as the JSON a channel takes; a config grpc-js refuses is a
 * `ConfigurationError` here instead of an error at the first call.
 */
export function checkServiceConfig(service: string, config: object): string {
  const json = JSON.stringify(config);
  let probe: Channel | undefined;
  try {
    probe = new Channel('ipv4:127.0.0.1:9', credentials.createInsecure(), { 'grpc.service_config': json });
  } catch (error) {
    throw clientInvalid(
      service,
      `grpc-js refuses the service config: ${(error as Error).message}`,
      "correct the retry, hedging, retryThrottling or channelOptions['grpc.service_config'] settings (see docs/clients.md)",
      error,
    );
  } finally {
    probe?.close();
  }
  return json;
}
