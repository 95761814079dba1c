import type { Token } from '../metadata/index.js';

/** A readable name for a token in error messages. */
export function tokenName(token: Token | undefined): string {
  if (token === undefined) return 'undefined';
  if (typeof token === 'function') return token.name || '<anonymous class>';
  if (typeof token === 'symbol') return token.toString();
  return `'${token}'`;
}
