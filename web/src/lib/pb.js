// pb.js: the Protocol Buffers wire format, as much of it as the page needs,
// driven by small schemas (schemas.js). Encoding writes fields in field-number
// order and omits proto3 defaults, as the C++ deterministic serializer does,
// and packs repeated scalars. Decoding is strict: an unknown field, a wrong
// wire type, a repeated singular field, a varint that is not minimal or too
// large, invalid UTF-8 or trailing bytes reject the whole message. Every
// read is bounds-checked; nothing is read past the end of the input.

export class ProtobufError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtobufError';
  }
}

const kWireVarint = 0;
const kWireLengthDelimited = 2;
const kMaxSafe = BigInt(Number.MAX_SAFE_INTEGER);
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

// ByteWriter grows a buffer as bytes are appended.
class ByteWriter {
  constructor() {
    this.buffer = new Uint8Array(256);
    this.length = 0;
  }
  reserve(n) {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
  byte(b) {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }
  bytes(data) {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }
  varint(value) {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;  // int64: two's complement, ten bytes
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      this.byte(b);
    } while (v !== 0n);
  }
  result() {
    return this.buffer.slice(0, this.length);
  }
}

// ByteReader reads a span; a read past the end throws and consumes nothing.
class ByteReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.offset = 0;
  }
  get remaining() {
    return this.bytes.length - this.offset;
  }
  varint() {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.offset + i >= this.bytes.length) throw new ProtobufError('truncated varint');
      const b = this.bytes[this.offset + i];
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        if (i > 0 && b === 0) throw new ProtobufError('varint not minimal');
        if (i === 9 && b > 1) throw new ProtobufError('varint too large');
        this.offset += i + 1;
        return value;
      }
    }
    throw new ProtobufError('varint too long');
  }
  take(n) {
    if (n > this.remaining) throw new ProtobufError('truncated field');
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

function isScalarType(type) {
  return type !== 'string' && type !== 'bytes' && type !== 'message';
}

function toNumber(value, field) {
  if (value > kMaxSafe) throw new ProtobufError(`${field.name} out of range`);
  return Number(value);
}

function decodeScalar(reader, field) {
  const raw = reader.varint();
  switch (field.type) {
    case 'bool':
      if (raw > 1n) throw new ProtobufError(`${field.name} is not a bool`);
      return raw === 1n;
    case 'uint32':
    case 'enum':
      if (raw > 0xffffffffn) throw new ProtobufError(`${field.name} out of range`);
      return Number(raw);
    case 'uint64':
      return toNumber(raw, field);
    case 'int64':
      // Only non-negative values are meaningful in these schemas (days).
      if (raw >= 1n << 63n) throw new ProtobufError(`${field.name} is negative`);
      return toNumber(raw, field);
    default:
      throw new ProtobufError(`unknown type ${field.type}`);
  }
}

function defaultOf(field) {
  if (field.repeated) return [];
  switch (field.type) {
    case 'bool': return false;
    case 'string': return '';
    case 'bytes': return new Uint8Array(0);
    case 'message': return null;
    default: return 0;
  }
}

// decode parses `bytes` as the message `schema` describes; throws
// ProtobufError on anything not strictly as the schema says.
export function decode(bytes, schema) {
  const reader = new ByteReader(bytes);
  const result = {};
  const seen = new Set();
  for (const field of Object.values(schema)) result[field.name] = defaultOf(field);
  while (reader.remaining > 0) {
    const key = reader.varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    const field = schema[number];
    if (key > 0xffffffffn || field === undefined) throw new ProtobufError(`unknown field ${number}`);
    if (!field.repeated && seen.has(number)) throw new ProtobufError(`${field.name} repeated`);
    seen.add(number);
    if (isScalarType(field.type)) {
      if (wire === kWireVarint) {
        const value = decodeScalar(reader, field);
        if (field.repeated) result[field.name].push(value);
        else result[field.name] = value;
      } else if (wire === kWireLengthDelimited && field.repeated) {
        const packed = new ByteReader(reader.take(toNumber(reader.varint(), field)));
        while (packed.remaining > 0) result[field.name].push(decodeScalar(packed, field));
      } else {
        throw new ProtobufError(`${field.name} has the wrong wire type`);
      }
      continue;
    }
    if (wire !== kWireLengthDelimited) throw new ProtobufError(`${field.name} has the wrong wire type`);
    const data = reader.take(toNumber(reader.varint(), field));
    let value;
    if (field.type === 'bytes') {
      value = data.slice();
    } else if (field.type === 'string') {
      try {
        value = utf8Decoder.decode(data);
      } catch {
        throw new ProtobufError(`${field.name} is not UTF-8`);
      }
    } else {
      value = decode(data, field.message);
    }
    if (field.repeated) result[field.name].push(value);
    else result[field.name] = value;
  }
  return result;
}

function isDefault(field, value) {
  if (value === undefined || value === null) return true;
  if (field.repeated) return value.length === 0;
  switch (field.type) {
    case 'bool': return value === false;
    case 'string':
    case 'bytes': return value.length === 0;
    case 'message': return false;  // a present message is written, even empty
    default: return value === 0 || value === 0n;
  }
}

function encodeInto(writer, object, schema) {
  const numbers = Object.keys(schema).map(Number).sort((a, b) => a - b);
  for (const number of numbers) {
    const field = schema[number];
    const value = object[field.name];
    if (isDefault(field, value)) continue;
    const values = field.repeated ? value : [value];
    if (field.repeated && isScalarType(field.type)) {
      const packed = new ByteWriter();
      for (const v of values) packed.varint(field.type === 'bool' ? (v ? 1 : 0) : v);
      writer.varint((number << 3) | kWireLengthDelimited);
      writer.varint(packed.length);
      writer.bytes(packed.result());
      continue;
    }
    for (const v of values) {
      if (isScalarType(field.type)) {
        writer.varint((number << 3) | kWireVarint);
        writer.varint(field.type === 'bool' ? (v ? 1 : 0) : v);
      } else {
        const data = field.type === 'string' ? utf8Encoder.encode(v)
          : field.type === 'bytes' ? v : encode(v, field.message);
        writer.varint((number << 3) | kWireLengthDelimited);
        writer.varint(data.length);
        writer.bytes(data);
      }
    }
  }
}

// encode serializes `object` as the message `schema` describes.
export function encode(object, schema) {
  const writer = new ByteWriter();
  encodeInto(writer, object, schema);
  return writer.result();
}

// varintBytes is the minimal varint encoding of a non-negative integer.
export function varintBytes(value) {
  const writer = new ByteWriter();
  writer.varint(value);
  return writer.result();
}
