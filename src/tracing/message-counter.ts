import type { Span } from '@opentelemetry/api';

/** Counts a stream's messages for its span: two integers per call, written as attributes at its end. */
export class MessageCounter {
  received = 0;
  sent = 0;

  /** `observer` (a server's or a client's), counting its messages before forwarding them. */
  wrap<O extends { received(): void; sent(): void }>(observer: O): O {
    const counted = Object.create(observer) as O;
    counted.received = () => {
      this.received++;
      observer.received();
    };
    counted.sent = () => {
      this.sent++;
      observer.sent();
    };
    return counted;
  }

  /** Writes the counts on `span` (nothing for a call that never counted). */
  record(span: Span): void {
    if (this.received === 0 && this.sent === 0) return;
    span.setAttribute('rpc.messages.received', this.received);
    span.setAttribute('rpc.messages.sent', this.sent);
  }
}
