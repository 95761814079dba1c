import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { messageFromJson, messageToJson, RequestJsonError } from './json-mapping.js';

const root = protobuf.parse(
  `syntax = "proto3"; package t;
  enum Kind { KIND_UNSPECIFIED = 0; BIG = 1; }
  message Item { string item_name = 1; }
  message Req { string user_name = 1; int64 count = 2; Kind kind = 3; bytes blob = 4; repeated Item items = 5; map<string, Item> by_id = 6; }`,
  { keepCase: true },
).root;
root.resolveAll();
const Req = root.lookupType('t.Req');

describe('proto3 JSON ↔ protobufjs messages', () => {
  it('accepts lowerCamelCase and proto names, enum names, int64 strings and base64 bytes', () => {
    const message = messageFromJson(Req, {
      userName: 'ada',
      count: '9007199254740993',
      kind: 'BIG',
      blob: 'AAE=',
      items: [{ item_name: 'x' }],
      by_id: { a: { itemName: 'y' } },
    });
    const decoded = Req.decode(Req.encode(message).finish());
    expect(messageToJson(Req, decoded)).toEqual({
      userName: 'ada',
      count: '9007199254740993',
      kind: 'BIG',
      blob: 'AAE=',
      items: [{ itemName: 'x' }],
      byId: { a: { itemName: 'y' } },
    });
  });

  it('prints defaults', () => {
    expect(messageToJson(Req, Req.create())).toEqual({ userName: '', count: '0', kind: 'KIND_UNSPECIFIED', blob: '', items: [], byId: {} });
  });

  it('names the field that does not fit', () => {
    const error = (json: unknown) => {
      try {
        messageFromJson(Req, json);
      } catch (e) {
        if (e instanceof RequestJsonError) return e.message;
      }
      return 'no error';
    };
    expect(error({ usrName: 'x' })).toBe(
      'usrName: t.Req has no field "usrName" (did you mean "userName"?); its fields: userName, count, kind, blob, items, byId',
    );
    expect(error({ userName: 5 })).toBe('user_name: string expected');
    expect(error({ kind: 'BGI' })).toBe('kind: "BGI" is not a Kind (did you mean "BIG"?); one of KIND_UNSPECIFIED, BIG');
    expect(error({ items: {} })).toBe('items: array expected');
    expect(error({ items: [{ nope: 1 }] })).toMatch(/^items\[0\]\.nope: t\.Item has no field "nope"/);
    expect(error([])).toBe('request: a JSON object for t.Req expected');
  });
});
