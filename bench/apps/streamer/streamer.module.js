// Bench-only app served by `krpc-app start bench/apps/streamer`: bench.Streamer/Stream yields
// `count` small messages from an async generator, the way a user would write it. Plain JS with
// the framework's decorators applied through Reflect.decorate (what tsc emits).
import { Module, RpcMethod, RpcService } from 'kubernetes-rpc';

export class StreamerService {
  async *stream(req) {
    for (let seq = 0; seq < req.count; seq++) yield { seq, message: `Hello ${req.name}` };
  }
}
const stream = Object.getOwnPropertyDescriptor(StreamerService.prototype, 'stream');
Reflect.decorate([RpcMethod()], StreamerService.prototype, 'stream', stream);
Reflect.decorate([RpcService('bench.Streamer')], StreamerService);

export class AppModule {}
Reflect.decorate([Module({ services: [StreamerService] })], AppModule);
