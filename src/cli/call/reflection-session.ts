import type { Client, ClientDuplexStream, Metadata } from '@grpc/grpc-js';
import { Status } from '../../errors/index.js';
import {
  decodeReflectionResponse,
  encodeReflectionRequest,
  REFLECTION_METHODS,
  type ReflectionRequest,
  type ReflectionResponse,
} from './reflection-protocol.js';

/** One ServerReflectionInfo stream: questions asked one at a time, each answered by the next response. */
export class ReflectionSession {
  private readonly waiting: { resolve: (r: ReflectionResponse) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  private readonly stream: ClientDuplexStream<ReflectionRequest, ReflectionResponse>;

  /** Opens `method` (one of REFLECTION_METHODS) on `client`. */
  constructor(
    client: Client,
    metadata: Metadata,
    deadline: Date,
    /** The full method name this session speaks. */
    readonly method: string,
  ) {
    this.stream = client.makeBidiStreamRequest(method, encodeReflectionRequest, decodeReflectionResponse, metadata, { deadline });
    this.stream.on('data', (response: ReflectionResponse) => this.waiting.shift()?.resolve(response));
    this.stream.on('error', (error: Error) => {
      this.failure = error;
      for (const w of this.waiting.splice(0)) w.reject(error);
    });
  }

  /** Sends one request and resolves with its response; rejects with the stream's gRPC error. */
  ask(request: ReflectionRequest): Promise<ReflectionResponse> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.stream.write(request);
    });
  }

  /** Ends the stream; the server closes it with OK. */
  close(): void {
    this.stream.end();
  }
}

/**
 * Opens reflection v1 and asks `first`; a server that answers UNIMPLEMENTED (v1alpha only, as older
 * gRPC servers) is asked again over v1alpha. Resolves with the session and the first answer.
 */
export async function openReflection(
  client: Client,
  metadata: Metadata,
  deadline: Date,
  first: ReflectionRequest,
): Promise<{ session: ReflectionSession; response: ReflectionResponse }> {
  for (const [i, method] of REFLECTION_METHODS.entries()) {
    const session = new ReflectionSession(client, metadata, deadline, method);
    try {
      return { session, response: await session.ask(first) };
    } catch (error) {
      session.close();
      if ((error as { code?: number }).code !== Status.UNIMPLEMENTED || i === REFLECTION_METHODS.length - 1) throw error;
    }
  }
  throw new Error('unreachable: REFLECTION_METHODS is not empty');
}
