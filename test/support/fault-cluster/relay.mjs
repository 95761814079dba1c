// The relay in front of the fault cluster: samples/relay as users run it (`krpc`), the same
// service with client options the configuration cannot set today (`krpc-options`), or the
// bare grpc-js relay (`bare`), all on 127.0.0.1 with their downstream target from
// KRPC_TARGET_HELLOWORLD_GREETER and, for a kubernetes:/// target, KUBECONFIG.
import { APPS, BARE, startServer } from './servers.mjs';

/**
 * @param {{ kind: 'krpc' | 'krpc-options' | 'bare', target: string, kubeconfigPath?: string,
 *   clientOptions?: object, env?: Record<string, string>, name?: string }} options
 */
export function startRelay({ kind, target, kubeconfigPath, clientOptions, env = {}, name }) {
  const common = {
    KRPC_TARGET_HELLOWORLD_GREETER: target,
    ...(kubeconfigPath ? { KUBECONFIG: kubeconfigPath } : {}),
    ...(clientOptions ? { FAULT_BENCH_CLIENT_OPTIONS: JSON.stringify(clientOptions) } : {}),
    ...env,
  };
  const spec =
    kind === 'bare'
      ? { kind: 'bare', app: BARE.relay }
      : { kind: 'krpc', app: kind === 'krpc-options' || clientOptions ? APPS.relayOptions : APPS.relay };
  return startServer({ ...spec, host: '127.0.0.1', port: 0, name: name ?? `relay (${kind})`, env: common });
}
