import { type Constructor, type ModuleOptions, setModuleMetadata } from '../metadata/index.js';

/**
 * Declares a module: the protos it loads, the services it serves, the providers it builds,
 * the modules it imports and what it exports to them.
 *
 * @example
 * ```ts
 * @Module({ protos: ['proto/helloworld.proto'], services: [GreeterService], providers: [GreetingRepository] })
 * export class AppModule {}
 * ```
 */
export function Module(options: ModuleOptions): ClassDecorator {
  return (target) => {
    setModuleMetadata(target as unknown as Constructor, options);
  };
}
