import { ConfigurationError } from '../errors/index.js';
import { type Constructor, getModuleMetadata, type ModuleOptions, type Token } from '../metadata/index.js';
import { type ProviderRecord, toProviderRecord } from './provider-record.js';

/** One module of the app, with what it can see. */
export interface ModuleRecord {
  readonly cls: Constructor;
  readonly options: ModuleOptions;
  readonly providers: readonly ProviderRecord[];
  /** Tokens its own providers may inject: its own plus those exported by its imports. */
  readonly visible: ReadonlySet<Token>;
  /** Tokens it exports to modules importing it. */
  readonly exported: ReadonlySet<Token>;
}

/** All modules reachable from the root, imports first. */
export function collectModules(root: Constructor): ModuleRecord[] {
  const records = new Map<Constructor, ModuleRecord>();
  const visiting = new Set<Constructor>();
  const visit = (cls: Constructor, importer?: string): ModuleRecord => {
    const done = records.get(cls);
    if (done) return done;
    const options = getModuleMetadata(cls);
    if (!options) {
      throw new ConfigurationError('KRPC_NOT_A_MODULE', `${cls?.name ?? String(cls)} is not a module`, {
        className: importer ?? cls?.name,
        fix: `decorate ${cls?.name ?? 'it'} with @Module({...})${importer ? ` or remove it from ${importer}'s imports` : ''}`,
      });
    }
    if (visiting.has(cls)) {
      throw new ConfigurationError('KRPC_DEPENDENCY_CYCLE', `Module ${cls.name} imports itself through ${importer}`, {
        className: cls.name,
        fix: 'move the shared providers into a third module that both import',
      });
    }
    visiting.add(cls);
    const imported = (options.imports ?? []).map((m) => visit(m, cls.name));
    visiting.delete(cls);
    const providers = [...(options.services ?? []), ...(options.providers ?? [])].map((p) => toProviderRecord(p, cls.name));
    const own = new Set(providers.map((p) => p.token));
    const visible = new Set<Token>(own);
    for (const m of imported) for (const t of m.exported) visible.add(t);
    const exported = new Set<Token>();
    for (const e of options.exports ?? []) {
      const reexport = imported.find((m) => m.cls === e);
      if (reexport) for (const t of reexport.exported) exported.add(t);
      else if (visible.has(e)) exported.add(e);
      else {
        throw new ConfigurationError('KRPC_CONFIG_INVALID', `Module ${cls.name} exports something it neither provides nor imports`, {
          className: cls.name,
          fix: `add it to ${cls.name}'s providers, or remove it from exports`,
        });
      }
    }
    const record: ModuleRecord = { cls, options, providers, visible, exported };
    records.set(cls, record);
    return record;
  };
  visit(root);
  return [...records.values()];
}
