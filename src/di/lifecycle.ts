/**
 * Implement on a provider or service to run code once the app is built, before it serves.
 * Hooks run in dependency order (a provider's dependencies are initialised first) and are awaited.
 */
export interface OnInit {
  onInit(): void | Promise<void>;
}

/**
 * Implement on a provider or service to release resources on shutdown. Hooks run in reverse
 * dependency order, after the server has stopped taking calls, and are awaited.
 */
export interface OnShutdown {
  onShutdown(): void | Promise<void>;
}

export function hasOnInit(value: unknown): value is OnInit {
  return typeof value === 'object' && value !== null && typeof (value as Partial<OnInit>).onInit === 'function';
}

export function hasOnShutdown(value: unknown): value is OnShutdown {
  return typeof value === 'object' && value !== null && typeof (value as Partial<OnShutdown>).onShutdown === 'function';
}
