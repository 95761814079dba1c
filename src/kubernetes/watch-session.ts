import { type EndpointSliceApi, httpStatusOf, type WatchEvent, type WatchParams } from './kube-client.js';

/** How one watch request ended. */
export interface WatchOutcome {
  /** The resourceVersion is gone (410, as a status or an ERROR event): re-list. */
  readonly gone: boolean;
  /** Why it failed, or null when it simply ended. */
  readonly error: unknown;
  /** Events other than ERROR received. */
  readonly events: number;
  readonly durationMs: number;
}

/** One open watch request. */
export interface WatchSession {
  readonly outcome: Promise<WatchOutcome>;
  /** Ends the request; `outcome` then resolves. */
  abort(): void;
}

/**
 * Opens one watch and reports its non-ERROR events; ERROR events end up in the outcome. A
 * client-side watchdog aborts it 30 s after the server-side `timeoutSeconds`, in case the
 * connection died without the server's timeout ever arriving.
 */
export function openWatchSession(
  api: EndpointSliceApi,
  namespace: string,
  params: WatchParams,
  onEvent: (event: WatchEvent) => void,
): WatchSession {
  const started = Date.now();
  let gone = false;
  let events = 0;
  let errorEvent: unknown = null;
  let finished = false;
  let aborted = false;
  let abortRequest: (() => void) | undefined;
  const abort = () => {
    aborted = true;
    abortRequest?.();
  };
  const outcome = new Promise<WatchOutcome>((resolve) => {
    const watchdog = setTimeout(abort, (params.timeoutSeconds + 30) * 1000);
    watchdog.unref();
    const done = (error: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      resolve({ gone: gone || httpStatusOf(error) === 410, error: error ?? errorEvent, events, durationMs: Date.now() - started });
    };
    const handle = (event: WatchEvent) => {
      if (finished || aborted) return;
      if (event.type !== 'ERROR') {
        events++;
        onEvent(event);
      } else if (event.object.code === 410) gone = true;
      else errorEvent = new Error(`watch ERROR event: ${event.object.code ?? '?'} ${event.object.message ?? ''}`);
    };
    api.watch(namespace, params, handle, done).then(
      (stop) => {
        abortRequest = stop;
        if (aborted && !finished) stop();
      },
      (error: unknown) => done(error),
    );
  });
  return { outcome, abort };
}
