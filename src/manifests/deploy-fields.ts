import { ConfigurationError, closest } from '../errors/index.js';

/** Reads the fields of one object of the deploy section, naming the path of anything wrong. */
export class DeployFields {
  constructor(
    private readonly value: Readonly<Record<string, unknown>>,
    private readonly path: string,
    private readonly source: string,
  ) {}

  /** Reads `value` as an object at `path`; `undefined` becomes `{}`. */
  static of(value: unknown, path: string, source: string, known: readonly string[]): DeployFields {
    if (value === undefined) return new DeployFields({}, path, source);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw deployError(source, `${path} must be an object, got ${JSON.stringify(value)}`, `write ${path} as { ... }`);
    }
    const fields = new DeployFields(value as Record<string, unknown>, path, source);
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        const guess = closest(key, known);
        throw deployError(
          source,
          `Unknown key ${path}.${key}`,
          guess ? `did you mean ${path}.${guess}?` : `known keys: ${known.join(', ')}`,
        );
      }
    }
    return fields;
  }

  /** The raw value of `key`. */
  raw(key: string): unknown {
    return this.value[key];
  }

  /** A nested object. */
  object(key: string, known: readonly string[]): DeployFields {
    return DeployFields.of(this.value[key], `${this.path}.${key}`, this.source, known);
  }

  string(key: string): string | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') this.fail(key, v, 'a non-empty string');
    return v as string;
  }

  boolean(key: string): boolean | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(key, v, 'true or false');
    return v as boolean;
  }

  /** A whole number in `[min, max]`. */
  integer(key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(key, v, max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`);
    }
    return v as number;
  }

  /** A number > 0 (fractions allowed). */
  positive(key: string): number | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(key, v, 'a number > 0');
    return v as number;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.value[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) this.fail(key, v, `one of ${allowed.join(', ')}`);
    return v as T;
  }

  /** A map of strings. */
  stringMap(key: string): Record<string, string> {
    const v = this.value[key];
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
      this.fail(key, v, 'an object of string values');
    }
    return { ...(v as Record<string, string>) };
  }

  /** Throws for `key`. */
  fail(key: string, value: unknown, expected: string): never {
    throw deployError(
      this.source,
      `${this.path}.${key} must be ${expected}, got ${JSON.stringify(value)}`,
      `set ${this.path}.${key} to ${expected}`,
    );
  }
}

/** A {@link ConfigurationError} about the deploy section. */
export function deployError(source: string, problem: string, fix: string): ConfigurationError {
  return new ConfigurationError('KRPC_CONFIG_INVALID', `Invalid deploy configuration (${source}): ${problem}`, { fix });
}
