export { createClientTracer } from './client-tracer.js';
export { traceLogFields } from './log-fields.js';
export { createServerTracer } from './server-tracer.js';
