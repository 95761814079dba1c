// `#inversify` is inversify bundled at build time (see inversify-runtime.ts); its types are inversify's.
declare module '#inversify' {
  export { Container } from 'inversify';
}
