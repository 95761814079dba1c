/**
 * inversify at run time. `#inversify` (package.json "imports") is inversify 8 bundled into one
 * file at build time (scripts/build.mjs): the published package is ~365 ES modules, which take
 * ~165 ms to load on Node 20; the bundle loads in ~10 ms. Types still come from `inversify`.
 */
export { Container } from '#inversify';
