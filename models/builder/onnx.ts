/**
 * A small ONNX model writer (ModelProto/GraphProto/NodeProto/TensorProto/ValueInfoProto) in plain TypeScript.
 *
 *   const g = new GraphBuilder('tiny');
 *   g.input('x', 'float32', ['batch', 3]);
 *   g.initializer('W', new Float32Array([...]), [3, 2]);
 *   g.initializer('b', new Float32Array([0.5, -1]), [2]);
 *   g.node('MatMul', ['x', 'W'], ['xw']);
 *   g.node('Add', ['xw', 'b'], ['y']);
 *   g.output('y', 'float32', ['batch', 2]);
 *   await writeOnnxModel('/tmp/m/model.onnx', g, { opset: 17 });   // or g.toModelBytes({ opset: 17 })
 *
 * Attributes: a JS integer is written as INT, a non-integer as FLOAT; use `floatAttr(1)` for an integral float,
 * arrays of integers as INTS, `floatsAttr([...])` for FLOATS, strings as STRING, `tensorAttr(...)` for TENSOR.
 * Initializers above `externalDataThreshold` bytes go to an external data file when `externalData` is given.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ProtoWriter } from './protobuf.ts';

export type ElemType = 'float32' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';
export type TensorData = Float32Array | BigInt64Array | Int32Array | Int8Array | Uint8Array | Uint16Array;
export type Dim = number | string;

const DATA_TYPE: Record<ElemType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9, float16: 10 };

export interface TensorSpec {
  data: TensorData;
  dims: readonly number[];
  /** Needed only where the array type is ambiguous: Uint16Array = float16, Uint8Array = uint8 unless 'bool'. */
  type?: ElemType;
}

type AttrValue =
  | number
  | bigint
  | string
  | readonly number[]
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'tensor'; value: TensorSpec };
export type Attributes = Record<string, AttrValue>;

export const floatAttr = (value: number): AttrValue => ({ kind: 'float', value });
export const floatsAttr = (value: readonly number[]): AttrValue => ({ kind: 'floats', value });
export const tensorAttr = (data: TensorData, dims: readonly number[], type?: ElemType): AttrValue => ({
  kind: 'tensor',
  value: { data, dims, type },
});

export function elemTypeOf(spec: TensorSpec): ElemType {
  if (spec.type) return spec.type;
  const d = spec.data;
  if (d instanceof Float32Array) return 'float32';
  if (d instanceof BigInt64Array) return 'int64';
  if (d instanceof Int32Array) return 'int32';
  if (d instanceof Int8Array) return 'int8';
  if (d instanceof Uint16Array) return 'float16';
  return 'uint8';
}

interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  attrs: Attributes;
  domain: string;
  name: string;
}

interface ValueSpec {
  name: string;
  type: ElemType;
  dims: readonly Dim[];
}

export interface ModelOptions {
  /** The default-domain opset (e.g. 17). */
  opset: number;
  /** Further opset imports, e.g. { 'com.microsoft': 1 }. */
  opsets?: Record<string, number>;
  irVersion?: number;
  producer?: string;
  /** File name (relative to the model file) for initializers larger than externalDataThreshold. */
  externalData?: string;
  /** Bytes; default 1024. */
  externalDataThreshold?: number;
  metadata?: Record<string, string>;
}

export interface ModelBytes {
  model: Uint8Array;
  /** The external data file's bytes, when `externalData` was set and some initializer went there. */
  externalData?: Uint8Array;
}

export class GraphBuilder {
  readonly name: string;
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly initializers = new Map<string, TensorSpec>();
  private readonly nodes: NodeSpec[] = [];
  private counter = 0;

  constructor(name = 'graph') {
    this.name = name;
  }

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.inputs.push({ name, type, dims });
    return name;
  }

  output(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.outputs.push({ name, type, dims });
    return name;
  }

  initializer(name: string, data: TensorData, dims: readonly number[], type?: ElemType): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`initializer ${name}: ${data.length} values for dims [${dims.join(', ')}]`);
    if (this.initializers.has(name)) throw new Error(`initializer ${name} defined twice`);
    this.initializers.set(name, { data, dims, type });
    return name;
  }

  /** A fresh unique value name with the given prefix. */
  fresh(prefix = 'v'): string {
    this.counter += 1;
    return `${prefix}_${this.counter}`;
  }

  /** An int64 constant initializer (shapes, axes, indices). */
  int64(values: readonly number[], dims: readonly number[] = [values.length], prefix = 'const_i64'): string {
    return this.initializer(this.fresh(prefix), BigInt64Array.from(values, (v) => BigInt(v)), dims);
  }

  /** A float32 constant initializer. */
  float32(values: readonly number[], dims: readonly number[] = [values.length], prefix = 'const_f32'): string {
    return this.initializer(this.fresh(prefix), Float32Array.from(values), dims);
  }

  node(opType: string, inputs: readonly string[], outputs: readonly string[], attrs: Attributes = {}, domain = ''): string[] {
    this.nodes.push({ opType, inputs: [...inputs], outputs: [...outputs], attrs, domain, name: this.fresh(opType) });
    return [...outputs];
  }

  /** A node with one auto-named output; returns that output's name. */
  op(opType: string, inputs: readonly string[], attrs: Attributes = {}, domain = ''): string {
    const out = this.fresh(opType.toLowerCase());
    this.node(opType, inputs, [out], attrs, domain);
    return out;
  }

  toModelBytes(options: ModelOptions): ModelBytes {
    const threshold = options.externalDataThreshold ?? 1024;
    const external: Uint8Array[] = [];
    let externalLength = 0;
    const graph = new ProtoWriter();
    for (const n of this.nodes) graph.message(1, (w) => writeNode(w, n));
    graph.string(2, this.name);
    for (const [name, spec] of this.initializers) {
      const bytes = tensorBytes(spec);
      if (options.externalData && bytes.length > threshold) {
        // Keep each tensor 64-byte aligned inside the data file (what ORT's mmap path prefers).
        const pad = (64 - (externalLength % 64)) % 64;
        if (pad) external.push(new Uint8Array(pad));
        const offset = externalLength + pad;
        external.push(bytes);
        externalLength = offset + bytes.length;
        graph.message(5, (w) =>
          writeTensorHeader(w, name, spec).message(13, (e) => e.string(1, 'location').string(2, options.externalData!))
            .message(13, (e) => e.string(1, 'offset').string(2, String(offset)))
            .message(13, (e) => e.string(1, 'length').string(2, String(bytes.length)))
            .int(14, 1),
        );
      } else {
        graph.message(5, (w) => writeTensorHeader(w, name, spec).bytes(9, bytes));
      }
    }
    for (const v of this.inputs) graph.message(11, (w) => writeValueInfo(w, v));
    for (const v of this.outputs) graph.message(12, (w) => writeValueInfo(w, v));

    const m = new ProtoWriter();
    m.int(1, options.irVersion ?? 8);
    m.string(2, options.producer ?? 'longhand-builder');
    m.string(3, '0.1.0');
    m.bytes(7, graph.finish());
    m.message(8, (w) => w.string(1, '').int(2, options.opset));
    for (const [domain, version] of Object.entries(options.opsets ?? {})) m.message(8, (w) => w.string(1, domain).int(2, version));
    for (const [key, value] of Object.entries(options.metadata ?? {})) m.message(14, (w) => w.string(1, key).string(2, value));
    const out: ModelBytes = { model: m.finish() };
    if (external.length) {
      const data = new Uint8Array(externalLength);
      let off = 0;
      for (const c of external) {
        data.set(c, off);
        off += c.length;
      }
      out.externalData = data;
    }
    return out;
  }
}

function writeValueInfo(w: ProtoWriter, v: ValueSpec): void {
  w.string(1, v.name);
  w.message(2, (t) =>
    t.message(1, (tt) => {
      tt.int(1, DATA_TYPE[v.type]);
      tt.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function writeTensorHeader(w: ProtoWriter, name: string, spec: TensorSpec): ProtoWriter {
  if (spec.dims.length) w.packedInts(1, spec.dims);
  w.int(2, DATA_TYPE[elemTypeOf(spec)]);
  w.string(8, name);
  return w;
}

function tensorBytes(spec: TensorSpec): Uint8Array {
  const d = spec.data;
  // Little-endian platforms only (x64/arm64): typed arrays are already in ONNX's raw_data byte order.
  return new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
}

function writeAttr(w: ProtoWriter, name: string, value: AttrValue): void {
  w.string(1, name);
  if (typeof value === 'bigint') {
    w.int(3, value).int(20, 2);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) w.int(3, value).int(20, 2);
    else w.float(2, value).int(20, 1);
  } else if (typeof value === 'string') {
    w.string(4, value).int(20, 3);
  } else if (Array.isArray(value)) {
    w.packedInts(8, value as readonly number[]).int(20, 7);
  } else {
    const v = value as Exclude<AttrValue, number | bigint | string | readonly number[]>;
    if (v.kind === 'float') w.float(2, v.value).int(20, 1);
    else if (v.kind === 'floats') w.packedFloats(7, v.value).int(20, 6);
    else w.message(5, (t) => writeTensorHeader(t, '', v.value).bytes(9, tensorBytes(v.value))).int(20, 4);
  }
}

function writeNode(w: ProtoWriter, n: NodeSpec): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [key, value] of Object.entries(n.attrs)) w.message(5, (a) => writeAttr(a, key, value));
  if (n.domain) w.string(7, n.domain);
}

/**
 * Writes `model.onnx` (and its external data file, when `options.externalData` is set) atomically:
 * to temporary names first, then renamed into place, so a crash never leaves a half-written model.
 */
export async function writeOnnxModel(path: string, graph: GraphBuilder, options: ModelOptions): Promise<void> {
  const { model, externalData } = graph.toModelBytes(options);
  await mkdir(dirname(path), { recursive: true });
  const tmpModel = `${path}.tmp-${process.pid}`;
  const dataPath = options.externalData ? join(dirname(path), basename(options.externalData)) : undefined;
  const tmpData = dataPath ? `${dataPath}.tmp-${process.pid}` : undefined;
  try {
    if (externalData && tmpData) await writeFile(tmpData, externalData);
    await writeFile(tmpModel, model);
    if (externalData && tmpData && dataPath) await rename(tmpData, dataPath);
    await rename(tmpModel, path);
  } catch (err) {
    await rm(tmpModel, { force: true });
    if (tmpData) await rm(tmpData, { force: true });
    throw err;
  }
}
