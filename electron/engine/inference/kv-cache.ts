/**
 * The KV cache between decoding steps: present.N.* of one step becomes past_key_values.N.* of the next.
 * Rows (batch entries) can be repeated (prompt prefilled once, expanded to k candidates) or dropped (a finished
 * candidate stops costing compute). On the CPU these are copies of contiguous row blocks; a device-resident
 * tensor is downloaded first.
 */
import * as ort from 'onnxruntime-node';
import type { ModelLayout } from './model-folder.ts';

type KvData = Float32Array | Uint16Array;

export class KvCache {
  /** past_key_values.N.{key,value} → tensor */
  private tensors: Record<string, ort.Tensor>;

  private constructor(tensors: Record<string, ort.Tensor>) {
    this.tensors = tensors;
  }

  static empty(layout: ModelLayout, batch: number): KvCache {
    const t: Record<string, ort.Tensor> = {};
    for (let l = 0; l < layout.layers; l++) {
      for (const kv of ['key', 'value']) {
        const data = layout.kvType === 'float16' ? new Uint16Array(0) : new Float32Array(0);
        t[`past_key_values.${l}.${kv}`] = new ort.Tensor(layout.kvType, data, [batch, layout.kvHeads, 0, layout.headDim]);
      }
    }
    return new KvCache(t);
  }

  /** The cache after a step: the step's present.* outputs. */
  static fromOutputs(outputs: ort.InferenceSession.OnnxValueMapType, layout: ModelLayout): KvCache {
    const t: Record<string, ort.Tensor> = {};
    for (let l = 0; l < layout.layers; l++) {
      for (const kv of ['key', 'value']) t[`past_key_values.${l}.${kv}`] = outputs[`present.${l}.${kv}`] as ort.Tensor;
    }
    return new KvCache(t);
  }

  get feeds(): Record<string, ort.Tensor> {
    return this.tensors;
  }

  get length(): number {
    const first = Object.values(this.tensors)[0];
    return first ? Number(first.dims[2]) : 0;
  }

  /** A new cache whose row i is this cache's row `rows[i]` (repeat with [0,0,0,0], drop with a subset). */
  async selectRows(rows: readonly number[]): Promise<KvCache> {
    const t: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(this.tensors)) {
      const data = (tensor.location === 'cpu' ? tensor.data : await tensor.getData()) as KvData;
      const [batch, heads, len, hd] = tensor.dims as [number, number, number, number];
      const rowSize = heads * len * hd;
      const out = data instanceof Uint16Array ? new Uint16Array(rows.length * rowSize) : new Float32Array(rows.length * rowSize);
      rows.forEach((r, i) => {
        if (r >= batch) throw new Error(`KV row ${r} out of range (batch ${batch})`);
        out.set(data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
      });
      t[name] = new ort.Tensor(tensor.type as 'float32' | 'float16', out, [rows.length, heads, len, hd]);
    }
    return new KvCache(t);
  }

  dispose(): void {
    for (const tensor of Object.values(this.tensors)) if (tensor.location !== 'cpu') tensor.dispose();
  }
}
