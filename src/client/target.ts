import { ConfigurationError } from '../errors/index.js';

const URI = /^(?:([A-Za-z0-9+.-]+):)?(?:\/\/([^/]*)\/)?(.+)$/;
const HOST = /^[A-Za-z0-9_.-]+$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A target split the way grpc-js splits it: `scheme:[//authority/]path`. */
export interface ParsedTarget {
  readonly scheme: string | undefined;
  readonly authority: string | undefined;
  readonly path: string;
}

/** Splits a target URI; `undefined` for an empty one. */
export function parseTarget(target: string): ParsedTarget | undefined {
  const match = URI.exec(target);
  if (!match) return undefined;
  return { scheme: match[1], authority: match[2], path: match[3] as string };
}

/** The environment variable overriding a service's target: `KRPC_TARGET_HELLOWORLD_GREETER`. */
export function targetEnvName(service: string): string {
  return `KRPC_TARGET_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function splitHostPort(text: string): { host: string; port: string | undefined } | undefined {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return undefined;
    const rest = text.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    return { host: text.slice(1, end), port: rest === '' ? undefined : rest.slice(1) };
  }
  const parts = text.split(':');
  if (parts.length > 2) return undefined;
  return { host: parts[0] as string, port: parts[1] };
}

function validPort(port: string | undefined, required: boolean): boolean {
  if (port === undefined) return !required;
  return /^\d{1,5}$/.test(port) && Number(port) > 0 && Number(port) <= 65535;
}

function addressProblem(scheme: string, address: string): string | undefined {
  const split = splitHostPort(address);
  if (!split || split.host === '') return `"${address}" is not host:port`;
  if (scheme === 'ipv4' && !IPV4.test(split.host)) return `"${split.host}" is not an IPv4 address`;
  if (scheme === 'ipv6' && !split.host.includes(':')) return `"${split.host}" is not an IPv6 address`;
  if (scheme === 'dns' && !split.host.includes(':') && !HOST.test(split.host)) return `"${split.host}" is not a host name`;
  if (!validPort(split.port, scheme !== 'dns')) return `"${split.port ?? ''}" is not a port (1-65535)`;
  return undefined;
}

/**
 * Checks a target as grpc-js will read it. `mapped` is what grpc-js made of it
 * (`channel.getTarget()`): an unregistered scheme falls back to `dns:` there.
 * Returns what is wrong, or `undefined`.
 */
export function targetProblem(target: string, mapped: string): string | undefined {
  const original = parseTarget(target);
  const resolved = parseTarget(mapped);
  if (!original || !resolved) return 'the target is empty';
  if (original.authority !== undefined && original.scheme !== undefined && resolved.scheme !== original.scheme) {
    const hint = original.scheme === 'kubernetes' ? ' (call registerKubernetesResolver() before creating the app)' : '';
    return `no resolver is registered for the scheme "${original.scheme}:"${hint}`;
  }
  const scheme = resolved.scheme ?? 'dns';
  if (scheme === 'dns') return addressProblem('dns', resolved.path);
  if (scheme === 'ipv4' || scheme === 'ipv6') {
    for (const address of resolved.path.split(',')) {
      const problem = addressProblem(scheme, address);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** A {@link ConfigurationError} for a target that cannot be used. */
export function invalidTarget(service: string, target: string, problem: string, cause?: unknown): ConfigurationError {
  return new ConfigurationError('KRPC_TARGET_INVALID', `Invalid target "${target}" for client ${service}: ${problem}`, {
    service,
    fix: `use host:port, dns:///name:port, ipv4:a:port,b:port or a registered scheme (register custom resolvers before the app starts); override it with ${targetEnvName(service)}`,
    cause,
  });
}
