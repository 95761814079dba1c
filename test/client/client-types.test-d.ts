// Type tests, checked by `tsc -p tsconfig.json --noEmit` (every @ts-expect-error must be an error).
import type { Metadata } from '@grpc/grpc-js';
import { expectTypeOf } from 'vitest';
import type { Client, ResponseStream, ResponseWithMeta } from '../../src/client/index.js';
import type { CallsClient } from './generated/test/calls/Calls.js';
import type { Msg__Output } from './generated/test/calls/Msg.js';
import type { CallsService } from './support/calls-fixture.js';

declare const fromClass: Client<CallsService>;
declare const fromGenerated: Client<CallsClient>;

// unary
expectTypeOf(fromClass.echo({ text: 'a' })).toEqualTypeOf<Promise<{ text: string; n: number }>>();
expectTypeOf(fromGenerated.echo({ text: 'a' })).toEqualTypeOf<Promise<Msg__Output>>();
expectTypeOf(fromClass.echo.withMeta({})).toEqualTypeOf<Promise<ResponseWithMeta<{ text: string; n: number }>>>();
expectTypeOf<Awaited<ReturnType<typeof fromGenerated.echo.withMeta>>['trailers']>().toEqualTypeOf<Metadata>();
// server streaming
expectTypeOf(fromClass.count({ n: 3 })).toEqualTypeOf<ResponseStream<{ text: string; n: number }>>();
expectTypeOf(fromGenerated.count({ n: 3 })).toEqualTypeOf<ResponseStream<Msg__Output>>();
// client streaming: arrays and async iterables
expectTypeOf(fromClass.sum([{ n: 1 }])).toEqualTypeOf<Promise<{ text: string; n: number }>>();
expectTypeOf(fromGenerated.sum([{ n: 1 }])).toEqualTypeOf<Promise<Msg__Output>>();
declare const requests: AsyncIterable<{ n: number }>;
expectTypeOf(fromClass.sum(requests)).toEqualTypeOf<Promise<{ text: string; n: number }>>();
// bidi
expectTypeOf(fromClass.chat(requests)).toEqualTypeOf<ResponseStream<{ text: string; n: number }>>();
expectTypeOf(fromGenerated.chat([{ text: 'x' }])).toEqualTypeOf<ResponseStream<Msg__Output>>();
// per-call options
void fromClass.echo({}, { timeoutMs: 10, signal: AbortSignal.timeout(10), metadata: { 'x-a': 'b' }, propagate: false });

// a wrong request field does not compile
// @ts-expect-error nmae is not a field of Msg
void fromClass.echo({ nmae: 'x' });
// @ts-expect-error nmae is not a field of Msg
void fromGenerated.echo({ nmae: 'x' });
// @ts-expect-error n is a number
void fromClass.echo({ n: 'three' });
// @ts-expect-error a streaming request is an iterable, not one message
void fromClass.sum({ n: 1 });

// a wrong method name does not compile
// @ts-expect-error no rpc Ecko
void fromClass.ecko({});
// @ts-expect-error no rpc Ecko
void fromGenerated.ecko({});
// @ts-expect-error proxies use the camelCase name only
void fromGenerated.Echo({});
// @ts-expect-error grpc-js Client methods are not part of a proxy
void fromGenerated.close();
// @ts-expect-error an unknown call option
void fromClass.echo({}, { timeout: 5 });
