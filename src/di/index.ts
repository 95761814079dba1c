export { AppContainer, type BuildContainerOptions } from './app-container.js';
export { hasOnInit, hasOnShutdown, type OnInit, type OnShutdown } from './lifecycle.js';
export { collectModules, type ModuleRecord } from './module-graph.js';
export { classDependencies, type Dependency, type ProviderRecord, toProviderRecord } from './provider-record.js';
export { tokenName } from './token-name.js';
