import { describe, expect, it } from 'vitest';
import { parseTarget, targetEnvName, targetProblem } from './target.js';

describe('targets', () => {
  it('names the environment override after the service', () => {
    expect(targetEnvName('helloworld.Greeter')).toBe('KRPC_TARGET_HELLOWORLD_GREETER');
    expect(targetEnvName('shop.v1.Inventory')).toBe('KRPC_TARGET_SHOP_V1_INVENTORY');
  });

  it('splits targets the way grpc-js does', () => {
    expect(parseTarget('dns:///greeter:50051')).toEqual({ scheme: 'dns', authority: '', path: 'greeter:50051' });
    expect(parseTarget('ipv4:1.2.3.4:5,1.2.3.5:5')).toEqual({ scheme: 'ipv4', authority: undefined, path: '1.2.3.4:5,1.2.3.5:5' });
    expect(parseTarget('')).toBeUndefined();
  });

  it.each([
    ['localhost:50051', 'dns:localhost:50051'],
    ['greeter', 'dns:greeter'],
    ['dns:///greeter.shop.svc.cluster.local:50051', 'dns:///greeter.shop.svc.cluster.local:50051'],
    ['[::1]:50051', 'dns:[::1]:50051'],
    ['ipv4:127.0.0.1:1,127.0.0.1:2', 'ipv4:127.0.0.1:1,127.0.0.1:2'],
    ['ipv6:[::1]:50051', 'ipv6:[::1]:50051'],
    ['unix:/run/app.sock', 'unix:/run/app.sock'],
    ['kubernetes:///greeter.shop:50051', 'kubernetes:///greeter.shop:50051'],
  ])('accepts %s', (target, mapped) => {
    expect(targetProblem(target, mapped)).toBeUndefined();
  });

  it.each([
    ['a b:1', 'dns:a b:1', 'is not a host name'],
    ['host:0', 'dns:host:0', 'is not a port'],
    ['host:http', 'dns:host:http', 'is not a port'],
    ['ipv4:1.2.3:5', 'ipv4:1.2.3:5', 'is not an IPv4 address'],
    ['ipv4:1.2.3.4', 'ipv4:1.2.3.4', 'is not a port'],
    ['kubernetes:///greeter.shop:50051', 'dns:kubernetes:///greeter.shop:50051', 'registerKubernetesResolver'],
  ])('rejects %s', (target, mapped, problem) => {
    expect(targetProblem(target, mapped)).toContain(problem);
  });
});
