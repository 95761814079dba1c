import type { Metadata } from '@grpc/grpc-js';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** Reads propagation headers from grpc-js metadata (string values only). */
export const metadataGetter: TextMapGetter<Metadata> = {
  get(carrier, key) {
    const values = carrier.get(key);
    if (values.length === 0) return undefined;
    return values.length === 1 ? String(values[0]) : values.map(String);
  },
  keys(carrier) {
    return Object.keys(carrier.getMap());
  },
};

/** Writes propagation headers into grpc-js metadata. */
export const metadataSetter: TextMapSetter<Metadata> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};
