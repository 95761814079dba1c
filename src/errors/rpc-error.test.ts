import { Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { RpcError } from './rpc-error.js';
import { Status } from './status.js';
import { decodeStatusDetails, encodeStatusDetails } from './status-details.js';

describe('RpcError', () => {
  it('is recognised across copies of the package by its Symbol.for brand', () => {
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('kubernetes-rpc.RpcError'), { value: true });
    expect(RpcError.is(foreign)).toBe(true);
    expect(RpcError.is(new Error('x'))).toBe(false);
    expect(RpcError.is(new RpcError(Status.NOT_FOUND, 'x'))).toBe(true);
  });

  it('turns unknown values into INTERNAL with a generic message and keeps the cause', () => {
    const cause = new Error('password=hunter2');
    const err = RpcError.from(cause);
    expect(err.code).toBe(Status.INTERNAL);
    expect(err.rawMessage).toBe('Internal error');
    expect(err.cause).toBe(cause);
    expect(RpcError.from(Object.assign(new Error('stop'), { name: 'AbortError' })).code).toBe(Status.CANCELLED);
  });

  it('round-trips code, message, details and metadata through a grpc-js status', () => {
    const metadata = new Metadata();
    metadata.set('x-why', 'because');
    const err = new RpcError(Status.FAILED_PRECONDITION, 'not yet', {
      details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: new Uint8Array([8, 1]) }],
      metadata,
    });
    const back = RpcError.fromStatus(err.toStatus());
    expect(back.code).toBe(Status.FAILED_PRECONDITION);
    expect(back.rawMessage).toBe('not yet');
    expect(back.message).toBe('[FAILED_PRECONDITION] not yet');
    expect(back.details).toEqual(err.details);
    expect(back.metadata.get('x-why')).toEqual(['because']);
  });
});

describe('google.rpc.Status encoding', () => {
  it('decodes what it encodes, including multi-byte lengths and UTF-8', () => {
    const details = [
      { typeUrl: 'type.googleapis.com/a.B', value: new Uint8Array(300).fill(7) },
      { typeUrl: 'type.googleapis.com/ü.Ö', value: new Uint8Array([]) },
    ];
    expect(decodeStatusDetails(encodeStatusDetails(5, 'nicht gefunden', details))).toEqual(details);
  });

  it('returns no details for garbage instead of throwing', () => {
    expect(decodeStatusDetails(new Uint8Array([0x1a, 0xff, 0xff, 0xff]))).toEqual([]);
  });
});
