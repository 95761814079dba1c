export { loadRootModule } from './load-root-module.js';
export { routeGrpcLogs } from './route-grpc-logs.js';
export { type RunningApp, runtimeFor, type StartAppOptions, serverOptionsFor, startApp } from './start-app.js';
