import { inspect, isDeepStrictEqual } from 'node:util';
import protobuf, { type Type } from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { type ConversionOptions, type Deserialize, LeanCodecs, type Serialize } from './lean-codec.js';

// The oracle is protobufjs itself, called the way proto-loader's serializer and deserializer call it.

const PROTO3 = `
syntax = "proto3";
package lc;
enum Mood { option allow_alias = true; CALM = 0; HAPPY = 1; GLAD = 1; GRUMPY = -3; }
message Scalars {
  int32 an_int = 1; sint32 zig = 2; uint32 unsigned_int = 3; bool flag = 4; fixed32 fx = 5;
  sfixed32 sfx = 6; float real = 7; double precise = 8; string text = 9; Mood mood = 10;
  string far_away = 2047; int32 farther = 300000;
}
message Lists {
  repeated int32 ints = 1; repeated sint32 zigs = 2; repeated uint32 uints = 3; repeated bool flags = 4;
  repeated fixed32 fxs = 5; repeated float reals = 6; repeated double doubles = 7; repeated string texts = 8;
  repeated Mood moods = 9; repeated int32 loose = 10 [packed = false]; repeated Scalars items = 11;
}
message Tree { string label = 1; repeated Tree children = 2; Tree first = 3; Scalars data = 4; }
message Empty {}
message Holder { Empty nothing = 1; Lists lists = 2; int32 after = 3; }
message Newer { int32 an_int = 1; int64 big = 20; bytes raw = 21; string note = 22; fixed64 f64 = 23; double d = 24; float f = 25; }
message Older { int32 an_int = 1; }
message WithLong { int64 big = 1; }
message WithBytes { bytes raw = 1; }
message WithMap { map<string, int32> counts = 1; }
message WithOneof { oneof pick { string a = 1; int32 b = 2; } }
message WithOptional { optional string maybe = 1; }
message UsesUncovered { WithLong inner = 1; }
message Ping { Pong pong = 1; int64 big = 2; }
message Pong { Ping ping = 1; string s = 2; }
`;

const PROTO2 = `
syntax = "proto2";
package lc2;
enum Level { LOW = 1; HIGH = 2; }
message Legacy {
  optional int32 count = 1 [default = 7]; optional string name = 2 [default = "anon"];
  optional Level level = 3; repeated int32 unpacked = 4; repeated int32 packed = 5 [packed = true];
  optional bool on = 6 [default = true];
}
message Strict { required string id = 1; }
`;

function parse(source: string): protobuf.Root {
  const root = protobuf.parse(source, { keepCase: false }).root;
  root.resolveAll();
  return root;
}

const root3 = parse(PROTO3);
const root2 = parse(PROTO2);
const rootAny = (() => {
  const root = new protobuf.Root();
  protobuf.parse('syntax = "proto3"; package google.protobuf; message Empty {}', root);
  protobuf.parse('syntax = "proto3"; package g; message UsesAny { google.protobuf.Empty e = 1; }', root);
  root.resolveAll();
  return root;
})();

const FRAMEWORK: ConversionOptions = { enums: String, defaults: true, oneofs: true } as ConversionOptions;
const OPTION_SETS: Record<string, ConversionOptions> = {
  framework: FRAMEWORK,
  'proto-loader defaults': {},
  'arrays only': { arrays: true },
  'enums as numbers, defaults': { defaults: true },
};

function reference(type: Type, options: ConversionOptions): { serialize: Serialize; deserialize: Deserialize } {
  return {
    serialize: (value) => {
      if (Array.isArray(value))
        throw new Error(`Failed to serialize message: expected object with ${type.name} structure, got array instead`);
      return Buffer.from(type.encode(type.fromObject(value as Record<string, unknown>)).finish());
    },
    deserialize: (bytes) => type.toObject(type.decode(bytes), options as protobuf.IConversionOptions),
  };
}

/** The lean functions for `type`, with proto-loader's as their fallback (counted). */
function lean(type: Type, options: ConversionOptions) {
  const ref = reference(type, options);
  const codecs = LeanCodecs.for(options);
  if (!codecs) throw new Error('options not covered');
  const fallbacks = { serialize: 0, deserialize: 0 };
  const serialize = codecs.serializer(type, (v) => {
    fallbacks.serialize++;
    return ref.serialize(v);
  });
  const deserialize = codecs.deserializer(type, (b) => {
    fallbacks.deserialize++;
    return ref.deserialize(b);
  });
  return { ref, serialize, deserialize, fallbacks };
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };
function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

/** Deep equality that also requires the same property order (users see it in JSON.stringify and Object.keys). */
function sameShape(a: unknown, b: unknown): boolean {
  if (!isDeepStrictEqual(a, b)) return false;
  if (a === null || typeof a !== 'object' || Buffer.isBuffer(a)) return true;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.join() !== kb.join()) return false;
  return ka.every((k) => sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function expectSameSerialize(codec: ReturnType<typeof lean>, value: unknown): void {
  const got = outcome(() => codec.serialize(value));
  const want = outcome(() => codec.ref.serialize(value));
  expect(got.ok, `${inspect(value)}: ${inspect(got)} vs ${inspect(want)}`).toBe(want.ok);
  if (got.ok && want.ok) expect((got.value as Buffer).toString('hex'), inspect(value)).toBe((want.value as Buffer).toString('hex'));
  else if (!got.ok && !want.ok) expect(got.error).toBe(want.error);
}

function expectSameDeserialize(codec: ReturnType<typeof lean>, bytes: Buffer): void {
  const got = outcome(() => codec.deserialize(bytes));
  const want = outcome(() => codec.ref.deserialize(bytes));
  expect(got.ok, `${bytes.toString('hex')}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`).toBe(want.ok);
  if (got.ok && want.ok)
    expect(
      sameShape(got.value, want.value),
      `${bytes.toString('hex')}: ${JSON.stringify(got.value)} vs ${JSON.stringify(want.value)}`,
    ).toBe(true);
  else if (!got.ok && !want.ok) expect(got.error).toBe(want.error);
}

/** A seeded PRNG (mulberry32), so every run checks the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = [
  '',
  'a',
  'Hello world',
  'x'.repeat(15),
  'y'.repeat(16),
  'z'.repeat(200),
  'grüße',
  '日本語テキスト',
  '🙂 emoji',
  '\u0000nul',
  'é'.repeat(45),
  `${'a'.repeat(41)}\ud800`,
];
const INTS = [0, 1, -1, 127, 128, 300, 16383, 16384, 2 ** 31 - 1, -(2 ** 31), 2 ** 28, -123456];
const UINTS = [0, 1, 127, 128, 2 ** 32 - 1, 2 ** 31, 2 ** 28 - 1, 2 ** 28];
const REALS = [0, -0, 1.5, -2.25, 1e-30, 3.4e38, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Math.PI];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function randomValue(rand: () => number, type: Type, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of type.fieldsArray) {
    const roll = rand();
    if (roll < 0.2) continue;
    if (roll < 0.25) {
      out[f.name] = null;
      continue;
    }
    const one = (): unknown => {
      const t = f.resolvedType;
      if (t && 'valuesById' in t) {
        const names = Object.keys((t as protobuf.Enum).values);
        return rand() < 0.5 ? pick(rand, names) : (t as protobuf.Enum).values[pick(rand, names)];
      }
      if (t) return depth > 3 ? {} : randomValue(rand, t as Type, depth + 1);
      switch (f.type) {
        case 'string':
          return pick(rand, STRINGS);
        case 'bool':
          return rand() < 0.5;
        case 'uint32':
        case 'fixed32':
          return pick(rand, UINTS);
        case 'float':
        case 'double':
          return pick(rand, REALS);
        default:
          return pick(rand, INTS);
      }
    };
    out[f.name] = f.repeated ? Array.from({ length: Math.floor(rand() * 4) }, one) : one();
  }
  return out;
}

describe('lean codec', () => {
  const covered = ['lc.Scalars', 'lc.Lists', 'lc.Tree', 'lc.Empty', 'lc.Holder', 'lc.Older'];
  const uncovered = ['lc.Newer', 'lc.WithLong', 'lc.WithBytes', 'lc.WithMap', 'lc.WithOneof', 'lc.WithOptional', 'lc.UsesUncovered'];

  it('covers the common message shapes and leaves the rest to proto-loader, function for function', () => {
    for (const name of covered) {
      const codecs = LeanCodecs.for(FRAMEWORK) as LeanCodecs;
      expect(codecs.covers(root3.lookupType(name)), name).toBe(true);
    }
    const cases: [protobuf.Root, string][] = [
      ...uncovered.map((n) => [root3, n] as [protobuf.Root, string]),
      [root2, 'lc2.Strict'],
      [rootAny, 'g.UsesAny'],
    ];
    for (const [root, name] of cases) {
      const type = root.lookupType(name);
      const codecs = LeanCodecs.for(FRAMEWORK) as LeanCodecs;
      expect(codecs.covers(type), name).toBe(false);
      const { serialize, deserialize } = reference(type, FRAMEWORK);
      expect(codecs.serializer(type, serialize), name).toBe(serialize);
      expect(codecs.deserializer(type, deserialize), name).toBe(deserialize);
    }
    // a cycle through an uncovered type: neither side is covered, whichever is asked first
    const shared = LeanCodecs.for(FRAMEWORK) as LeanCodecs;
    expect(shared.covers(root3.lookupType('lc.Ping'))).toBe(false);
    expect(shared.covers(root3.lookupType('lc.Pong'))).toBe(false);
    expect(LeanCodecs.for({ ...FRAMEWORK, json: true })).toBeUndefined();
  });

  for (const [label, options] of Object.entries(OPTION_SETS)) {
    it(`gives proto-loader's bytes and objects for random messages (${label})`, () => {
      const rand = prng(label.length * 7919);
      const types = [...covered.map((n) => root3.lookupType(n)), root2.lookupType('lc2.Legacy')];
      for (const type of types) {
        const codec = lean(type, options);
        for (let i = 0; i < 300; i++) {
          const value = randomValue(rand, type, 0);
          expectSameSerialize(codec, value);
          const bytes = codec.ref.serialize(value);
          expectSameDeserialize(codec, bytes);
        }
        // well-typed values and valid encodings never need proto-loader's functions
        expect(codec.fallbacks, type.fullName).toEqual({ serialize: 0, deserialize: 0 });
      }
    });
  }

  it('follows keepCase: snake_case property names in and out', () => {
    const root = protobuf.parse(PROTO3, { keepCase: true }).root;
    root.resolveAll();
    const rand = prng(7);
    for (const name of ['lc.Scalars', 'lc.Lists']) {
      const type = root.lookupType(name);
      const codec = lean(type, FRAMEWORK);
      for (let i = 0; i < 200; i++) {
        const value = randomValue(rand, type, 0);
        expectSameSerialize(codec, value);
        expectSameDeserialize(codec, codec.ref.serialize(value));
      }
      expect(codec.fallbacks).toEqual({ serialize: 0, deserialize: 0 });
    }
    const scalars = lean(root.lookupType('lc.Scalars'), FRAMEWORK);
    expect(scalars.deserialize(scalars.serialize({ an_int: 5, far_away: 'x' }))).toMatchObject({ an_int: 5, far_away: 'x' });
  });

  it('hands values of unexpected JS types to proto-loader, which converts or rejects them as before', () => {
    const scalars = lean(root3.lookupType('lc.Scalars'), FRAMEWORK);
    const odd: unknown[] = [
      { anInt: '42', zig: '-7', unsignedInt: -1, flag: 1, fx: '9', sfx: 2.7, real: '1.5', precise: true, text: 12, mood: 'NOPE' },
      { anInt: 1.9, mood: 7 },
      { mood: 2.5 },
      { mood: 'GLAD' },
      { text: { toString: () => 'from toString' } },
      { anInt: 2 ** 40 },
      { text: `short\ud800` },
      [1, 2],
      null,
      'text',
      7,
    ];
    for (const value of odd) expectSameSerialize(scalars, value);
    const lists = lean(root3.lookupType('lc.Lists'), FRAMEWORK);
    for (const value of [
      { ints: 5 },
      { ints: 'abc' },
      { ints: [1, null, '3'] },
      { texts: ['a', null, 3] },
      { moods: ['HAPPY', 'NOPE', 9, 1.5] },
      { items: [null] },
      { items: [{ anInt: 1 }, 'x'] },
      { items: {} },
      { ints: 0, texts: '' },
    ])
      expectSameSerialize(lists, value);
    const tree = lean(root3.lookupType('lc.Tree'), FRAMEWORK);
    expectSameSerialize(tree, { first: 'not an object' });
    expectSameSerialize(tree, { first: [] });
    const cyclic: Record<string, unknown> = { label: 'loop' };
    cyclic.first = cyclic;
    expectSameSerialize(tree, cyclic);
  });

  it('decodes what other encoders send: unpacked and packed lists, 10-byte negative int32, unknown fields', () => {
    const lists = lean(root3.lookupType('lc.Lists'), FRAMEWORK);
    // ints (field 1) unpacked twice, then packed [3, 4]; loose (field 10) packed [5]
    expectSameDeserialize(lists, Buffer.from('0801080212020304520105', 'hex'));
    const scalars = lean(root3.lookupType('lc.Scalars'), FRAMEWORK);
    // an_int = -1 as ten bytes, then mood = -3 likewise
    expectSameDeserialize(scalars, Buffer.from('08ffffffffffffffffff0150fdffffffffffffffff01', 'hex'));
    const newer = root3.lookupType('lc.Newer');
    const bytes = Buffer.from(
      newer
        .encode(newer.fromObject({ anInt: 5, big: '-9007199254740993', raw: Buffer.from('abc'), note: 'n', f64: '12', d: 2.5, f: 1.25 }))
        .finish(),
    );
    expectSameDeserialize(lean(root3.lookupType('lc.Older'), FRAMEWORK), bytes);
    expectSameDeserialize(lean(root3.lookupType('lc.Older'), {}), bytes);
  });

  it('answers malformed input exactly as proto-loader does (same value or same error)', () => {
    const rand = prng(42);
    for (const name of ['lc.Scalars', 'lc.Lists', 'lc.Tree', 'lc.Holder']) {
      const codec = lean(root3.lookupType(name), FRAMEWORK);
      for (let i = 0; i < 400; i++) {
        const bytes = Buffer.from(codec.ref.serialize(randomValue(rand, root3.lookupType(name), 0)));
        if (bytes.length === 0) continue;
        const mutated = Buffer.from(bytes);
        const how = rand();
        if (how < 0.4) expectSameDeserialize(codec, mutated.subarray(0, Math.floor(rand() * bytes.length)));
        else {
          mutated[Math.floor(rand() * mutated.length)] = Math.floor(rand() * 256);
          expectSameDeserialize(codec, mutated);
        }
      }
    }
    const scalars = lean(root3.lookupType('lc.Scalars'), FRAMEWORK);
    for (const hex of ['0b', '0f00', '0e', '4a05616263', '08', '08ff', '3d0000', '41'])
      expectSameDeserialize(scalars, Buffer.from(hex, 'hex'));
  });

  it('keeps deep recursion within protobufjs limits', () => {
    const tree = lean(root3.lookupType('lc.Tree'), FRAMEWORK);
    let deep: Record<string, unknown> = { label: 'leaf' };
    for (let i = 0; i < 150; i++) deep = { label: `n${i}`, first: deep };
    expectSameSerialize(tree, deep);
    let shallow: Record<string, unknown> = { label: 'leaf' };
    for (let i = 0; i < 50; i++) shallow = { label: `n${i}`, children: [shallow] };
    expectSameSerialize(tree, shallow);
    expectSameDeserialize(tree, tree.ref.serialize(shallow));
  });
});
