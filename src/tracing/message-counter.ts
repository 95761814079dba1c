import type { Span } from '@opentelemetry/api';
import type { ClientMethodObserver } from '../client/index.js';
import type { MethodObserver } from '../server/index.js';

/** Counts a stream's messages for its span: two integers per call, written as attributes at its end. */
export class MessageCounter {
  received = 0;
  sent = 0;

  /** A server observer that counts, then forwards. */
  server(observer: MethodObserver): MethodObserver {
    return {
      start: () => observer.start(),
      received: () => {
        this.received++;
        observer.received();
      },
      sent: () => {
        this.sent++;
        observer.sent();
      },
      end: (code, startedAt) => observer.end(code, startedAt),
    };
  }

  /** A client observer that counts, then forwards. */
  client(observer: ClientMethodObserver): ClientMethodObserver {
    return {
      start: () => observer.start(),
      received: () => {
        this.received++;
        observer.received();
      },
      sent: () => {
        this.sent++;
        observer.sent();
      },
      end: (code, startedAt) => observer.end(code, startedAt),
    };
  }

  /** Writes the counts on `span` (nothing for a call that never counted). */
  record(span: Span): void {
    if (this.received === 0 && this.sent === 0) return;
    span.setAttribute('rpc.messages.received', this.received);
    span.setAttribute('rpc.messages.sent', this.sent);
  }
}
