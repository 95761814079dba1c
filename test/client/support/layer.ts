import type { ClientLayerOptions } from '../../../src/client/index.js';
import { createClientLayer } from '../../../src/client/index.js';
import type { LoadedProtos } from '../../../src/proto/index.js';

/** A client layer set up outside any app, with clients for `services` (name → options). */
export function standaloneLayer(protos: LoadedProtos, options: ClientLayerOptions) {
  const layer = createClientLayer({ env: {}, ...options });
  layer.setup(protos, []);
  return layer;
}
