/**
 * Helpers for tests of KubernetesRPC apps (`kubernetes-rpc/testing`).
 * @packageDocumentation
 */
export { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';
