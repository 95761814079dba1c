import protobuf from 'protobufjs';
import { closest } from '../../errors/index.js';

/** A request JSON that does not fit the message; `message` names the field (`items[1].name: string expected`). */
export class RequestJsonError extends Error {
  override readonly name = 'RequestJsonError';
}

/**
 * The proto3 JSON form of a request (lowerCamelCase or proto field names, enum names, int64 as
 * strings, bytes as base64) as a protobufjs message of `type`, checked field by field.
 */
export function messageFromJson(type: protobuf.Type, json: unknown): protobuf.Message {
  const object = toFieldNames(type, json, '');
  const problem = type.verify(object);
  if (problem !== null) throw new RequestJsonError(problem);
  return type.fromObject(object);
}

/** A protobufjs message as proto3 JSON: lowerCamelCase names, enum names, int64 and bytes as strings, defaults included. */
export function messageToJson(type: protobuf.Type, message: protobuf.Message): unknown {
  const object = type.toObject(message, { longs: String, enums: String, bytes: String, defaults: true, arrays: true, json: true });
  return toJsonNames(type, object);
}

function toFieldNames(type: protobuf.Type, json: unknown, path: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RequestJsonError(`${path || 'request'}: a JSON object for ${type.fullName.replace(/^\./, '')} expected`);
  }
  const byJsonName = new Map(type.fieldsArray.flatMap((f) => [[f.name, f] as const, [protobuf.util.camelCase(f.name), f] as const]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    // reflection may report either spelling (proto-loader camelCases names), so accept both of either
    const field = byJsonName.get(key) ?? byJsonName.get(protobuf.util.camelCase(key));
    const at = path ? `${path}.${key}` : key;
    if (field === undefined) {
      const names = type.fieldsArray.map((f) => protobuf.util.camelCase(f.name));
      const suggestion = closest(key, names);
      throw new RequestJsonError(
        `${at}: ${type.fullName.replace(/^\./, '')} has no field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; its fields: ${names.join(', ') || '(none)'}`,
      );
    }
    if (value === null) continue; // proto3 JSON: null is the default value
    out[field.name] = fieldValue(field, value, at);
  }
  return out;
}

function fieldValue(field: protobuf.Field, value: unknown, at: string): unknown {
  if (field instanceof protobuf.MapField) {
    if (typeof value !== 'object' || Array.isArray(value)) throw new RequestJsonError(`${at}: object expected`);
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, element(field, v, `${at}.${k}`)]));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new RequestJsonError(`${at}: array expected`);
    return value.map((v, i) => element(field, v, `${at}[${i}]`));
  }
  return element(field, value, at);
}

function element(field: protobuf.Field, value: unknown, at: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return toFieldNames(resolved, value, at);
  if (resolved instanceof protobuf.Enum && typeof value === 'string') {
    const number = resolved.values[value];
    if (number !== undefined) return number;
    const names = Object.keys(resolved.values);
    const suggestion = closest(value, names);
    throw new RequestJsonError(
      `${at}: "${value}" is not a ${resolved.name}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; one of ${names.join(', ')}`,
    );
  }
  return typeof value === 'string' && field.type in NUMERIC ? numberFromString(field, value) : value;
}

const NUMERIC: Record<string, 'int64' | 'int32' | 'float'> = {
  ...Object.fromEntries(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64'].map((t) => [t, 'int64'])),
  ...Object.fromEntries(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32'].map((t) => [t, 'int32'])),
  float: 'float',
  double: 'float',
};

/** proto3 JSON writes numbers as strings too (always for 64-bit ones): give verify and fromObject a number or Long. */
function numberFromString(field: protobuf.Field, value: string): unknown {
  const kind = NUMERIC[field.type];
  if (kind === 'float') return ['NaN', 'Infinity', '-Infinity'].includes(value) || value.trim() === '' ? value : Number(value);
  if (!/^-?\d+$/.test(value)) return value; // verify names the field
  // protobufjs types util.Long as a bare constructor; it is long.js, whose fromString is static
  const Long = protobuf.util.Long as unknown as { fromString(text: string, unsigned: boolean): unknown } | undefined;
  if (kind === 'int64' && Long) return Long.fromString(value, field.type.startsWith('u') || field.type === 'fixed64');
  return Number(value);
}

function toJsonNames(type: protobuf.Type, object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object)) {
    const field = type.fields[name];
    const resolved = field?.resolvedType;
    const convert = (v: unknown) =>
      resolved instanceof protobuf.Type && v !== null && typeof v === 'object' ? toJsonNames(resolved, v as Record<string, unknown>) : v;
    let converted: unknown = value;
    if (field instanceof protobuf.MapField)
      converted = Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, convert(v)]));
    else if (Array.isArray(value)) converted = value.map(convert);
    else converted = convert(value);
    out[protobuf.util.camelCase(name)] = converted;
  }
  return out;
}
