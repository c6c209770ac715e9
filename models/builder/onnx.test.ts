import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, floatAttr, writeOnnxModel } from './onnx.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function tinyGraph(): GraphBuilder {
  const g = new GraphBuilder('tiny');
  g.input('x', 'float32', ['batch', 3]);
  g.initializer('W', new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2]);
  g.initializer('b', new Float32Array([0.5, -1]), [2]);
  g.node('MatMul', ['x', 'W'], ['xw']);
  g.node('Add', ['xw', 'b'], ['y']);
  g.output('y', 'float32', ['batch', 2]);
  return g;
}

describe('GraphBuilder', () => {
  it('writes a MatMul+Add model that onnxruntime runs with the right numbers', async () => {
    const session = await ort.InferenceSession.create(tinyGraph().toModelBytes({ opset: 17 }).model);
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const x = new ort.Tensor('float32', new Float32Array([1, 0, 0, 1, 1, 1]), [2, 3]);
    const { y } = await session.run({ x });
    expect(y!.dims).toEqual([2, 2]);
    // [1,0,0]·W + b = [1.5, 1]; [1,1,1]·W + b = [9.5, 11]
    expect(Array.from(y!.data as Float32Array)).toEqual([1.5, 1, 9.5, 11]);
    await session.release();
  });

  it('writes int64 tensors, float/int attributes and external data that ORT reads from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lh-onnx-'));
    dirs.push(dir);
    const g = new GraphBuilder('ext');
    g.input('ids', 'int64', ['n']);
    const table = new Float32Array(1000 * 4).map((_, i) => i * 0.25);
    g.initializer('table', table, [1000, 4]);
    const rows = g.op('Gather', ['table', 'ids'], { axis: 0 });
    const scaled = g.op('Mul', [rows, g.float32([2])]);
    g.node('LeakyRelu', [scaled], ['y'], { alpha: floatAttr(1) });
    g.node('Shape', ['y'], ['shape']);
    g.output('y', 'float32', ['n', 4]);
    g.output('shape', 'int64', [2]);
    const path = join(dir, 'model.onnx');
    await writeOnnxModel(path, g, { opset: 17, externalData: 'model.onnx_data' });
    expect((await readdir(dir)).sort()).toEqual(['model.onnx', 'model.onnx_data']);
    const session = await ort.InferenceSession.create(path);
    const out = await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from([2n, 999n]), [2]) });
    expect(Array.from(out.y!.data as Float32Array)).toEqual([4, 4.5, 5, 5.5, 1998, 1998.5, 1999, 1999.5]);
    expect(Array.from(out.shape!.data as BigInt64Array)).toEqual([2n, 4n]);
    await session.release();
  });

  it('rejects an initializer whose data does not match its dims', () => {
    const g = new GraphBuilder();
    expect(() => g.initializer('w', new Float32Array(5), [2, 3])).toThrow(/5 values for dims \[2, 3\]/);
  });
});
