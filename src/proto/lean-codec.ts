import type { Enum, Field, Type } from 'protobufjs';

/** Turns a message object into its protobuf encoding (a grpc-js serializer). */
export type Serialize = (value: unknown) => Buffer;
/** Turns a protobuf encoding into a message object (a grpc-js deserializer). */
export type Deserialize = (bytes: Buffer) => unknown;

/** The proto-loader options that shape decoded objects (protobufjs `toObject` options). */
export interface ConversionOptions {
  readonly enums?: unknown;
  readonly defaults?: boolean;
  readonly arrays?: boolean;
  readonly json?: boolean;
}

/**
 * Lean serializers and deserializers, generated per message type, that give the same bytes and
 * the same objects as proto-loader's (`Type.encode(Type.fromObject(v))` and
 * `Type.toObject(Type.decode(b), options)`) without protobufjs' intermediate message instance,
 * its writer's linked list of operations, or its reader object (docs/performance.md, "A lean
 * codec").
 *
 * They cover the message shapes most services use: the 32-bit scalar types, `bool`, `float`,
 * `double`, `string`, enums, nested messages and `repeated` of each. A message type with a 64-bit
 * integer, `bytes`, a map, a oneof (or proto3 `optional`), a `required` field, a group, or a
 * `google.protobuf` type gets proto-loader's functions unchanged. Within a covered type, anything
 * off the common path (a value of an unexpected JS type, a string shorter than 40 characters
 * with a lone surrogate, an unknown enum name, a group or malformed wire data) is handed to
 * proto-loader's function for that one message, so errors and edge cases are exactly its own.
 */
export class LeanCodecs {
  private readonly supported = new Map<Type, boolean>();

  /** `undefined` when `options` shape decoded objects in a way the lean decoder does not cover. */
  static for(options: ConversionOptions): LeanCodecs | undefined {
    if (options.json) return undefined;
    return new LeanCodecs(options.enums === String, options.defaults === true, options.arrays === true);
  }

  private constructor(
    private readonly enumNames: boolean,
    private readonly defaults: boolean,
    private readonly arrays: boolean,
  ) {}

  /** A serializer for `type`, or `fallback` itself when the type is not covered. */
  serializer(type: Type, fallback: Serialize): Serialize {
    if (!this.covers(type)) return fallback;
    const consts: unknown[] = [];
    let encode: (d: object) => Buffer;
    if (isFlat(type)) {
      encode = new Function('h', 'k', flatEncoderSource(type, consts))(HELPERS, consts) as (d: object) => Buffer;
    } else {
      const collect = new Function('h', 'k', encoderSource(type, consts))(HELPERS, consts) as (d: object, st: unknown[]) => number;
      encode = (d) => {
        const st: unknown[] = [];
        const size = collect(d, st);
        const out = Buffer.allocUnsafe(size);
        if (replay(st, out as RawBuffer) !== size) throw BAIL;
        return out;
      };
    }
    return (value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return fallback(value);
      try {
        return encode(value);
      } catch {
        return fallback(value); // off the common path: proto-loader's serializer decides (and throws its own error)
      }
    };
  }

  /** A deserializer for `type`, or `fallback` itself when the type is not covered. */
  deserializer(type: Type, fallback: Deserialize): Deserialize {
    if (!this.covers(type)) return fallback;
    const consts: unknown[] = [];
    const decode = new Function('h', 'k', decoderSource(type, consts, this.enumNames, this.defaults, this.arrays))(HELPERS, consts) as (
      b: Buffer,
    ) => unknown;
    return (bytes) => {
      try {
        return decode(bytes);
      } catch {
        return fallback(bytes);
      }
    };
  }

  /** Whether the lean functions cover `type` and every message type it contains. */
  covers(type: Type): boolean {
    let ok = this.supported.get(type);
    if (ok === undefined) {
      ok = reachable(type).every(coverable);
      this.supported.set(type, ok);
    }
    return ok;
  }
}

/** Wire type per covered scalar type. */
const WIRE: Readonly<Record<string, number>> = {
  int32: 0,
  sint32: 0,
  uint32: 0,
  bool: 0,
  fixed32: 5,
  sfixed32: 5,
  float: 5,
  double: 1,
  string: 2,
};
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function isEnum(t: unknown): t is Enum {
  return typeof t === 'object' && t !== null && 'valuesById' in t;
}

/** Whether the lean functions cover the fields of `type` itself (its message fields are judged on their own). */
function coverable(type: Type): boolean {
  if (type.fullName.startsWith('.google.protobuf.') || type.oneofsArray.length > 0) return false;
  return type.fieldsArray.every((f) => {
    f.resolve();
    if (f.map || f.required || f.delimited || f.partOf || !IDENTIFIER.test(f.name) || f.name === '__proto__') return false;
    if (f.resolvedType) return true;
    return f.type in WIRE;
  });
}

/** Every message type reachable from `type`, `type` first; their index is their function's number. */
function reachable(type: Type): Type[] {
  const list = [type];
  for (let i = 0; i < list.length; i++) {
    for (const f of (list[i] as Type).fieldsArray) {
      const t = f.resolvedType;
      if (t && !isEnum(t) && !list.includes(t as Type)) list.push(t as Type);
    }
  }
  return list;
}

function byId(type: Type): Field[] {
  return [...type.fieldsArray].sort((a, b) => a.id - b.id);
}

/** A value the generated code refers to as `k[i]`. */
function constant(consts: unknown[], value: unknown): string {
  consts.push(value);
  return `k[${consts.length - 1}]`;
}

/** The wire type of field `f`'s values: its scalar type's, 0 for an enum, 2 for a message. */
function wireOf(f: Field): number {
  if (isEnum(f.resolvedType)) return 0;
  return f.resolvedType ? 2 : (WIRE[f.type] as number);
}

/** The key of field `f` with wire type `wire`, as written before its value. */
function tagOf(f: Field, wire: number): number {
  return ((f.id << 3) | wire) >>> 0;
}

/** The number of bytes of `n` as a varint. */
function varintSize(n: number): number {
  let size = 1;
  for (let v = n >>> 7; v > 0; v >>>= 7) size++;
  return size;
}

// ---- encoding -------------------------------------------------------------------------------
//
// The generated pass reads each field once, checks its JS type, and pushes write operations onto
// a flat array (`st`): [op, value, op, value, ...]; `replay` then writes them into one buffer of
// the exact size. A nested message's length is a VARINT whose value is patched once its size is
// known.

const VARINT = 0;
const INT32_NEGATIVE = 1;
const FIXED32 = 2;
const FLOAT = 3;
const DOUBLE = 4;
const ASCII = 5;
const UTF8 = 6;

/** The generated encoder's body for `root` and the types it contains: `(d, st) => size`. */
function encoderSource(root: Type, consts: unknown[]): string {
  const types = reachable(root);
  const fns = types.map((type, i) => {
    const lines = ['let n = 0, v;'];
    for (const f of byId(type)) lines.push(encodeField(f, types, consts));
    return `function E${i}(d, st, q) {\n  if (q > 100) throw h.BAIL;\n  ${lines.join('\n  ')}\n  return n;\n}`;
  });
  return `${fns.join('\n')}\nreturn (d, st) => E0(d, st, 0);`;
}

/**
 * How one value of field `f`'s scalar (or enum) type is encoded, as code fragments over locals
 * suffixed `sfx`: `conv` checks and converts `value` (an expression) into them, `size` is its
 * encoded size, `push` adds it to the operations array, `put` writes it at `b[p]`. Both encoders
 * use it, so the conversions (proto-loader's `fromObject`'s) are written once.
 */
function scalarPlan(f: Field, value: string, sfx: string, consts: unknown[]) {
  const x = `x${sfx}`;
  const varint = { size: `h.vs(${x})`, push: `st.push(${VARINT}, ${x});`, put: `p = h.wv(b, p, ${x});` };
  const signed = {
    size: `(${x} < 0 ? 10 : h.vs(${x}))`,
    push: `st.push(${x} < 0 ? ${INT32_NEGATIVE} : ${VARINT}, ${x});`,
    put: `p = ${x} < 0 ? h.neg(b, p, ${x}) : h.wv(b, p, ${x});`,
  };
  const fixed = (op: number, bytes: number, write: string) => ({
    size: `${bytes}`,
    push: `st.push(${op}, ${x});`,
    put: `p = b.${write}(${x}, p);`,
  });
  const vars = [x];
  let conv: string;
  let code: { size: string; push: string; put: string };
  if (isEnum(f.resolvedType)) {
    // fromObject maps names and known numbers; the rest (unknown names, fractions) is its own business
    conv = `${x} = ${value}; if (typeof ${x} === 'string') ${x} = h.own(${constant(consts, f.resolvedType.values)}, ${x}); else if (typeof ${x} !== 'number' || (${x} | 0) !== ${x}) throw h.BAIL;`;
    code = signed;
  } else {
    switch (f.type) {
      case 'int32':
        conv = `${x} = h.num(${value}) | 0;`;
        code = signed;
        break;
      case 'uint32':
        conv = `${x} = h.num(${value}) >>> 0;`;
        code = varint;
        break;
      case 'sint32':
        conv = `${x} = h.num(${value}) | 0; ${x} = ((${x} << 1) ^ (${x} >> 31)) >>> 0;`;
        code = varint;
        break;
      case 'bool':
        conv = `${x} = h.bool(${value}) ? 1 : 0;`;
        code = { ...varint, size: '1' };
        break;
      case 'fixed32':
      case 'sfixed32':
        conv = `${x} = h.num(${value}) >>> 0;`;
        code = fixed(FIXED32, 4, 'writeUInt32LE');
        break;
      case 'float':
        conv = `${x} = h.num(${value});`;
        code = fixed(FLOAT, 4, 'writeFloatLE');
        break;
      case 'double':
        conv = `${x} = h.num(${value});`;
        code = fixed(DOUBLE, 8, 'writeDoubleLE');
        break;
      default: {
        // string: x is its byte length, s the string, a whether it is ASCII
        const [str, ascii] = [`s${sfx}`, `a${sfx}`];
        vars.push(str, ascii);
        conv = `${str} = h.str(${value}); ${x} = h.ascii(${str}); ${ascii} = ${x} >= 0; if (!${ascii}) ${x} = h.utf8(${str});`;
        code = {
          size: `h.vs(${x}) + ${x}`,
          push: `st.push(${VARINT}, ${x}, ${ascii} ? ${ASCII} : ${UTF8}, ${str});`,
          put: `p = h.wv(b, p, ${x}); p = ${ascii} ? h.wascii(b, p, ${str}) : p + b.utf8Write(${str}, p);`,
        };
      }
    }
  }
  return { vars, conv, ...code };
}

/** Pushes `value` (an expression) of field `f`'s scalar type with `tag` first (if any); adds its size to `n`. */
function encodeScalar(f: Field, value: string, tag: string, consts: unknown[]): string {
  const plan = scalarPlan(f, value, '', consts);
  return `{ let ${plan.vars.join(', ')}; ${plan.conv} ${tag} ${plan.push} n += ${plan.size}; }`;
}

function tagPush(f: Field, wire: number): string {
  const tag = tagOf(f, wire);
  return `st.push(${VARINT}, ${tag}); n += ${varintSize(tag)};`;
}

function encodeField(f: Field, types: Type[], consts: unknown[]): string {
  const ref = `d.${f.name}`;
  const message = f.resolvedType && !isEnum(f.resolvedType) ? types.indexOf(f.resolvedType as Type) : -1;
  const wire = wireOf(f);
  const nested = (value: string) =>
    `{ const x = ${value}; if (x === null || typeof x !== 'object') throw h.BAIL; ${tagPush(f, 2)} const at = st.length + 1; st.push(${VARINT}, 0); const s = E${message}(x, st, q + 1); st[at] = s; n += h.vs(s) + s; }`;
  if (f.repeated) {
    const head = `v = ${ref}; if (v) { if (!Array.isArray(v)) throw h.BAIL; if (v.length > 0) {`;
    if (message >= 0) return `${head} for (let i = 0; i < v.length; i++) ${nested('v[i]')} } }`;
    if (f.packed && wire !== 2) {
      // packed: tag, total length (patched), then the values back to back
      return `${head} ${tagPush(f, 2)} const at = st.length + 1; st.push(${VARINT}, 0); const n0 = n;
      for (let i = 0; i < v.length; i++) ${encodeScalar(f, 'v[i]', '', consts)}
      const s = n - n0; st[at] = s; n += h.vs(s); } }`;
    }
    return `${head} for (let i = 0; i < v.length; i++) ${encodeScalar(f, 'v[i]', tagPush(f, wire), consts)} } }`;
  }
  if (message >= 0) return `v = ${ref}; if (v != null) ${nested('v')}`;
  return `v = ${ref}; if (v != null) ${encodeScalar(f, 'v', tagPush(f, wire), consts)}`;
}

/**
 * Node's Buffer methods without `write()`'s and `toString()`'s argument handling (undocumented
 * but stable for a decade; protobufjs calls them too).
 */
interface RawBuffer extends Buffer {
  utf8Write(s: string, offset: number): number;
  latin1Write(s: string, offset: number, length: number): number;
  utf8Slice(start: number, end: number): string;
}

/** Writes the operations `st` into `b`; returns the end position. */
function replay(st: unknown[], b: RawBuffer): number {
  let p = 0;
  for (let i = 0; i < st.length; i += 2) {
    const op = st[i] as number;
    const value = st[i + 1];
    switch (op) {
      case VARINT:
        p = writeVarint(b, p, value as number);
        break;
      case INT32_NEGATIVE:
        p = writeNegative(b, p, value as number);
        break;
      case FIXED32:
        p = b.writeUInt32LE(value as number, p);
        break;
      case FLOAT:
        p = b.writeFloatLE(value as number, p);
        break;
      case DOUBLE:
        p = b.writeDoubleLE(value as number, p);
        break;
      case ASCII:
        p = writeAscii(b, p, value as string);
        break;
      default: // UTF8
        p += b.utf8Write(value as string, p);
    }
  }
  return p;
}

function writeVarint(b: Buffer, p: number, value: number): number {
  let x = value;
  while (x > 127) {
    b[p++] = (x & 127) | 128;
    x >>>= 7;
  }
  b[p++] = x;
  return p;
}

/** A negative int32, sign-extended to 64 bits: ten bytes. */
function writeNegative(b: Buffer, p: number, value: number): number {
  const lo = value >>> 0;
  b[p++] = (lo & 127) | 128;
  b[p++] = ((lo >>> 7) & 127) | 128;
  b[p++] = ((lo >>> 14) & 127) | 128;
  b[p++] = ((lo >>> 21) & 127) | 128;
  b[p++] = (lo >>> 28) | 0xf0;
  b[p++] = 0xff;
  b[p++] = 0xff;
  b[p++] = 0xff;
  b[p++] = 0xff;
  b[p++] = 0x01;
  return p;
}

function writeAscii(b: RawBuffer, p: number, s: string): number {
  if (s.length >= 16) return p + b.latin1Write(s, p, s.length);
  for (let j = 0; j < s.length; j++) b[p++] = s.charCodeAt(j);
  return p;
}

// A message type without nested messages or lists (most replies and stream items) gets an
// encoder without the operations array: its fields go into locals, are measured, and are
// written straight into the buffer.

/** Whether `type` has only non-repeated scalar and enum fields. */
function isFlat(type: Type): boolean {
  return type.fieldsArray.every((f) => !f.repeated && (!f.resolvedType || isEnum(f.resolvedType)));
}

/** The generated encoder's body for a flat `type`: `(d) => Buffer`. */
function flatEncoderSource(type: Type, consts: unknown[]): string {
  const measure: string[] = ['let n = 0;'];
  const write: string[] = ['const b = h.alloc(n); let p = 0;'];
  for (const f of byId(type)) {
    const i = f.id;
    // the key's bytes, known now: written as constants
    const key = Buffer.alloc(5);
    const keyBytes = [...key.subarray(0, writeVarint(key, 0, tagOf(f, wireOf(f))))];
    const plan = scalarPlan(f, `v${i}`, `${i}`, consts);
    measure.push(`const v${i} = d.${f.name}; let ${plan.vars.join(', ')};`);
    measure.push(`if (v${i} != null) { ${plan.conv} n += ${keyBytes.length} + ${plan.size}; }`);
    write.push(`if (v${i} != null) { ${keyBytes.map((byte) => `b[p++] = ${byte};`).join(' ')} ${plan.put} }`);
  }
  return `return (d) => {\n  ${measure.join('\n  ')}\n  ${write.join('\n  ')}\n  if (p !== n) throw h.BAIL;\n  return b;\n};`;
}

// ---- decoding -------------------------------------------------------------------------------

/** The generated decoder's body for `root` and the types it contains: `(b) => object`. */
function decoderSource(root: Type, consts: unknown[], enumNames: boolean, defaults: boolean, arrays: boolean): string {
  const types = reachable(root);
  const fns = types.map((type, i) => {
    const fields = byId(type);
    const locals = fields.map((f) => `let f${f.id} = ${f.repeated ? 'undefined' : 'h.NONE'};`);
    const cases = fields.map((f) => decodeCase(f, types, consts, enumNames));
    return `function D${i}(b, end, q) {
  if (q > 100) throw h.BAIL;
  ${locals.join(' ')}
  while (h.pos < end) {
    const t = h.varint(b, end);
    switch (t >>> 3) {
      ${cases.join('\n      ')}
      default: h.skip(b, end, t & 7);
    }
  }
  if (h.pos !== end) throw h.BAIL;
  ${buildObject(fields, enumNames, defaults, arrays)}
}`;
  });
  return `${fns.join('\n')}\nreturn (b) => { h.pos = 0; return D0(b, b.length, 0); };`;
}

/** The expression reading one value of `f`'s scalar (or enum) type. */
function readScalar(f: Field, consts: unknown[], enumNames: boolean): string {
  if (isEnum(f.resolvedType)) {
    const read = 'h.varint(b, end) | 0';
    if (!enumNames) return read;
    return `h.enumName(${constant(consts, f.resolvedType.valuesById)}, ${read})`;
  }
  switch (f.type) {
    case 'int32':
      return 'h.varint(b, end) | 0';
    case 'uint32':
      return 'h.varint(b, end)';
    case 'sint32':
      return 'h.zigzag(h.varint(b, end))';
    case 'bool':
      return 'h.varint(b, end) !== 0';
    case 'fixed32':
      return 'h.fixed(b, end).readUInt32LE(h.pos - 4)';
    case 'sfixed32':
      return 'h.fixed(b, end).readInt32LE(h.pos - 4)';
    case 'float':
      return 'h.fixed(b, end).readFloatLE(h.pos - 4)';
    case 'double':
      return 'h.fixed8(b, end).readDoubleLE(h.pos - 8)';
    default:
      return 'h.string(b, end)';
  }
}

function decodeCase(f: Field, types: Type[], consts: unknown[], enumNames: boolean): string {
  const message = f.resolvedType && !isEnum(f.resolvedType) ? types.indexOf(f.resolvedType as Type) : -1;
  const wire = wireOf(f);
  const value = message >= 0 ? `(h.sub(b, end), D${message}(b, h.lim, q + 1))` : readScalar(f, consts, enumNames);
  const local = `f${f.id}`;
  if (!f.repeated) return `case ${f.id}: if ((t & 7) !== ${wire}) throw h.BAIL; ${local} = ${value}; break;`;
  const push = `(${local} ??= []).push(${value});`;
  if (wire === 0 || wire === 1 || wire === 5) {
    // packable: accept both encodings, as protobufjs does
    return `case ${f.id}: if ((t & 7) === 2) { const e = h.sub(b, end); ${local} ??= []; { const end = e; while (h.pos < end) ${local}.push(${value}); } if (h.pos !== e) throw h.BAIL; }
        else if ((t & 7) === ${wire}) ${push} else throw h.BAIL; break;`;
  }
  return `case ${f.id}: if ((t & 7) !== ${wire}) throw h.BAIL; ${push} break;`;
}

/** The decoded object, with protobufjs `toObject`'s properties in its order. */
function buildObject(fields: Field[], enumNames: boolean, defaults: boolean, arrays: boolean): string {
  const repeated = fields.filter((f) => f.repeated);
  const single = fields.filter((f) => !f.repeated);
  const fallbackValue = (f: Field): string => {
    if (isEnum(f.resolvedType)) {
      const def = f.typeDefault as number;
      return JSON.stringify(enumNames ? f.resolvedType.valuesById[def] : def);
    }
    return f.resolvedType ? 'null' : JSON.stringify(f.typeDefault);
  };
  const present = (f: Field) => (f.repeated ? `(f${f.id} !== undefined && f${f.id}.length > 0)` : `f${f.id} !== h.NONE`);
  if (defaults) {
    const props = [
      ...repeated.map((f) => `${f.name}: f${f.id} ?? []`),
      ...single.map((f) => `${f.name}: f${f.id} === h.NONE ? ${fallbackValue(f)} : f${f.id}`),
    ];
    return `return { ${props.join(', ')} };`;
  }
  const lines = ['const o = {};'];
  if (arrays) for (const f of repeated) lines.push(`o.${f.name} = f${f.id} ?? [];`);
  for (const f of fields) {
    if (f.repeated && arrays) continue;
    lines.push(`if (${present(f)}) o.${f.name} = f${f.id};`);
  }
  lines.push('return o;');
  return lines.join(' ');
}

// ---- helpers the generated code calls ---------------------------------------------------------

/** Thrown to hand one message to proto-loader's function. */
const BAIL: unique symbol = Symbol('lean codec: not on the common path');
const NONE: unique symbol = Symbol('absent');

const HELPERS = {
  BAIL,
  NONE,
  /** The read position of the decoder in progress (decoding never calls user code). */
  pos: 0,
  /** The end of the last length-delimited value opened with `sub`. */
  lim: 0,
  alloc: (size: number): Buffer => Buffer.allocUnsafe(size),
  wv: writeVarint,
  neg: writeNegative,
  wascii: writeAscii,
  vs(x: number): number {
    return x < 0x80 ? 1 : x < 0x4000 ? 2 : x < 0x200000 ? 3 : x < 0x10000000 ? 4 : 5;
  },
  num(x: unknown): number {
    if (typeof x !== 'number') throw BAIL;
    return x;
  },
  bool(x: unknown): boolean {
    if (typeof x !== 'boolean') throw BAIL;
    return x;
  },
  str(x: unknown): string {
    if (typeof x !== 'string') throw BAIL;
    return x;
  },
  own(values: Readonly<Record<string, number>>, name: string): number {
    if (!Object.hasOwn(values, name)) throw BAIL;
    return values[name] as number;
  },
  /** The byte length of an ASCII string, or -1. */
  ascii(s: string): number {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return -1;
    return s.length;
  },
  /**
   * The UTF-8 byte length of a non-ASCII string. Below 40 characters protobufjs encodes with its
   * own UTF-8 writer, which writes a lone surrogate differently from Node's; those strings bail.
   */
  utf8(s: string): number {
    if (s.length < 40) {
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if ((c & 0xf800) !== 0xd800) continue;
        if (c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
        else throw BAIL;
      }
    }
    return Buffer.byteLength(s, 'utf8');
  },
  /** A varint of at most 32 bits (protobufjs' `uint32()`: the upper bytes of a longer one are skipped). */
  varint(b: Buffer, end: number): number {
    let p = HELPERS.pos;
    let x = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (p >= end) throw BAIL;
      const byte = b[p++] as number;
      x |= (byte & 127) << shift;
      if (byte < 128) {
        HELPERS.pos = p;
        return x >>> 0;
      }
    }
    // a sign-extended negative int32: five more bytes (protobufjs skips them unread)
    if (p + 5 > end) throw BAIL;
    HELPERS.pos = p + 5;
    return x >>> 0;
  },
  zigzag(x: number): number {
    return ((x >>> 1) ^ -(x & 1)) | 0;
  },
  /** Moves past `n` bytes that must be there. */
  advance(n: number, end: number): void {
    const p = HELPERS.pos + n;
    if (p > end) throw BAIL;
    HELPERS.pos = p;
  },
  fixed(b: Buffer, end: number): Buffer {
    HELPERS.advance(4, end);
    return b;
  },
  fixed8(b: Buffer, end: number): Buffer {
    HELPERS.advance(8, end);
    return b;
  },
  string(b: RawBuffer, end: number): string {
    const length = HELPERS.varint(b, end);
    const start = HELPERS.pos;
    const stop = start + length;
    if (stop > end) throw BAIL;
    HELPERS.pos = stop;
    return b.utf8Slice(start, stop);
  },
  /** Opens a length-delimited value: checks it fits and sets `lim` to its end. */
  sub(b: Buffer, end: number): number {
    const length = HELPERS.varint(b, end);
    const stop = HELPERS.pos + length;
    if (stop > end) throw BAIL;
    HELPERS.lim = stop;
    return stop;
  },
  enumName(names: Readonly<Record<number, string>>, x: number): string | number {
    return names[x] ?? x;
  },
  /** Skips an unknown field (groups and invalid wire types are protobufjs' business). */
  skip(b: Buffer, end: number, wire: number): void {
    switch (wire) {
      case 0:
        do if (HELPERS.pos >= end) throw BAIL;
        while ((b[HELPERS.pos++] as number) & 128);
        return;
      case 1:
        HELPERS.advance(8, end);
        return;
      case 2:
        HELPERS.pos = HELPERS.sub(b, end);
        return;
      case 5:
        HELPERS.advance(4, end);
        return;
      default:
        throw BAIL;
    }
  },
};
