export { loadRootModule } from './load-root-module.js';
export { type RunningApp, type StartAppOptions, serverOptionsFor, startApp } from './start-app.js';
