import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';
import { ConfigurationError } from '../errors/index.js';

/** Options of {@link parseProtos}. */
export interface ParseProtosOptions {
  /** Directories searched for `import`s, in order (absolute). */
  readonly includeDirs: readonly string[];
  /** protobufjs parse options (`keepCase`, comment modes): the loader options proto-loader would pass. */
  readonly parse: protobuf.IParseOptions;
  /** Where relative proto paths were resolved from, for the fix text. */
  readonly root: string;
}

/**
 * Parses the app's proto files, and what they import, once into one protobufjs `Root`. Each
 * reflection object keeps the `filename` it was declared in, which is how services are traced to
 * their file. A missing or unparsable file is a {@link ConfigurationError} naming the listed file
 * (the parser's message names the file and line at fault, which may be an import).
 */
export function parseProtos(files: readonly string[], options: ParseProtosOptions): protobuf.Root {
  const parsed = new protobuf.Root();
  const byDefault = parsed.resolvePath.bind(parsed);
  // the same search as proto-loader's includeDirs: include directories first, then next to the importer
  parsed.resolvePath = (origin, target) => {
    if (isAbsolute(target)) return target;
    for (const dir of options.includeDirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return byDefault(origin, target);
  };
  for (const file of files) {
    if (!existsSync(file)) {
      throw new ConfigurationError('KRPC_PROTO_NOT_FOUND', `Proto file not found: ${file}`, {
        protoFile: file,
        fix: `check the path in @Module({ protos }) or the config's "protos"; relative paths are resolved from ${options.root}`,
      });
    }
    try {
      // a file already loaded as another's import is skipped by protobufjs, never parsed again
      parsed.loadSync(file, options.parse);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new ConfigurationError('KRPC_PROTO_INVALID', `Proto file could not be parsed: ${detail}`, {
        protoFile: file,
        fix: 'correct the proto syntax at the line given, or the import path (a name defined twice: remove one of the definitions)',
        cause: error,
      });
    }
  }
  return parsed;
}

/** Every service in `root`, by full name (no leading dot), with the file that declares it. */
export function declaredServices(root: protobuf.Namespace): Map<string, string | null> {
  const found = new Map<string, string | null>();
  for (const nested of root.nestedArray) {
    if (nested instanceof protobuf.Service) found.set(nested.fullName.slice(1), nested.filename);
    else if (nested instanceof protobuf.Namespace) for (const [name, file] of declaredServices(nested)) found.set(name, file);
  }
  return found;
}
