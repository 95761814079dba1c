export { type StartWebOptions, startWebListener, type WebListener } from './start-web.js';
export { type WebOptions, type WebSettings, webSettings } from './web-options.js';
