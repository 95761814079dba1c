import type { RpcModel, ServiceModel, TypeRef } from '../new/describe-proto.js';

/** Where a service's class goes: its name and its file under `src/`. */
export interface ServiceClass {
  readonly service: ServiceModel;
  readonly className: string;
  /** `test.service` for `src/test.service.ts`. */
  readonly file: string;
}

/** `TestService` → class TestService in test.service.ts; `Greeter` → GreeterService in greeter.service.ts. */
export function serviceClass(service: ServiceModel): ServiceClass {
  const base = service.name.replace(/Service$/, '') || service.name;
  const kebab = base
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  return { service, className: `${base}Service`, file: `${kebab}.service` };
}

/**
 * A service class with one handler per rpc, typed from the generated types, each answering
 * UNIMPLEMENTED, so the app boots and the compiler shows which handlers to write.
 */
export function stubService({ service, className }: ServiceClass): string {
  const names = new TypeNames();
  const handlers = service.rpcs.map((rpc) => handler(rpc, names)).join('\n\n');
  const dir = service.fullName.split('.').slice(0, -1).join('/');
  const handlersImport = `./generated/${dir ? `${dir}/` : ''}${service.name}.js`;
  return `import { type RpcContext, RpcError, RpcMethod, RpcService, type ServiceImpl, Status } from 'kubernetes-rpc';
import type { ${service.name}Handlers } from '${handlersImport}';
${names.imports()}
const unimplemented = (rpc: string) => new RpcError(Status.UNIMPLEMENTED, \`${service.fullName}/\${rpc} is not implemented yet\`);

/** Serves ${service.fullName}. Each handler answers UNIMPLEMENTED until you write it. */
@RpcService('${service.fullName}')
export class ${className} implements ServiceImpl<${service.name}Handlers> {
${handlers}
}
`;
}

function handler(rpc: RpcModel, names: TypeNames): string {
  const method = rpc.name.charAt(0).toLowerCase() + rpc.name.slice(1);
  const req = names.request(rpc.requestType);
  const res = names.response(rpc.responseType);
  const input = rpc.requestStream ? `_reqs: AsyncIterable<${req}>` : `_req: ${req}`;
  const signature = rpc.responseStream
    ? `async *${method}(${input}, _ctx: RpcContext): AsyncIterable<${res}>`
    : `async ${method}(${input}, _ctx: RpcContext): Promise<${res}>`;
  return `  @RpcMethod()\n  ${signature} {\n    throw unimplemented('${rpc.name}');\n  }`;
}

/** Type imports from the generated types, aliased when two packages use one name. */
class TypeNames {
  private readonly files = new Map<string, Set<string>>();
  /** Short name → the full name that has it here. */
  private readonly owners = new Map<string, string>();

  request(type: TypeRef): string {
    return this.name(type, '__Output');
  }

  response(type: TypeRef): string {
    return this.name(type, '');
  }

  imports(): string {
    return [...this.files].map(([file, names]) => `import type { ${[...names].join(', ')} } from '${file}';\n`).join('');
  }

  private name(type: TypeRef, suffix: string): string {
    // proto-loader-gen-types puts nested messages elsewhere; such stubs take and return loose types
    if (type.nested) return suffix ? 'unknown' : 'never';
    const owner = this.owners.get(type.name) ?? type.fullName;
    this.owners.set(type.name, owner);
    const local = owner === type.fullName ? type.name : type.fullName.replace(/\./g, '_');
    const file = `./generated/${type.fullName.split('.').join('/')}.js`;
    const names = this.files.get(file) ?? new Set<string>();
    names.add(local === type.name ? `${type.name}${suffix}` : `${type.name}${suffix} as ${local}${suffix}`);
    this.files.set(file, names);
    return `${local}${suffix}`;
  }
}
