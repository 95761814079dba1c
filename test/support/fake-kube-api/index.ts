export { generateSelfSignedCertificate, type SelfSignedCertificate } from './certificate.js';
export { ENDPOINT_SLICES, type EndpointSliceSpec, endpointSlice, type SliceEndpointSpec } from './endpoint-slices.js';
export { FakeKubeApi, type FakeKubeApiOptions, type RecordedRequest } from './fake-kube-api.js';
export { writeKubeconfig } from './kubeconfig.js';
export { type LabelSelector, parseLabelSelector } from './label-selector.js';
export { type KubeObject, ObjectStore, type Query, type StoreEvent } from './object-store.js';
export { API_RESOURCES, type ApiResource, type ApplyRejection, type ApplyRequest, ServerSideApply } from './server-side-apply.js';
export { WatchStream, type WatchStreamOptions } from './watch-stream.js';
