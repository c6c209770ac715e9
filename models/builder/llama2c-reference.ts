/**
 * An independent plain-TypeScript llama2.c: its BPE encoder and its forward pass straight from the checkpoint
 * layout (interleaved rotary pairs, [out, in] matrices), used by tests to check the ONNX conversion token for token.
 */
import type { Llama2cCheckpoint, Llama2cToken } from './llama2c.ts';

export class Llama2cEncoder {
  private readonly ids = new Map<string, number>();
  private readonly pieces: string[];

  constructor(private readonly tokens: readonly Llama2cToken[]) {
    const dec = new TextDecoder();
    this.pieces = tokens.map((t) => dec.decode(t.bytes));
    this.pieces.forEach((p, i) => {
      if (!this.ids.has(p)) this.ids.set(p, i);
    });
  }

  /** llama2.c's encode(): optional BOS, dummy-prefix " ", code points (or their bytes + 3), then best-score merges. */
  encode(text: string, bos = true): number[] {
    const out: number[] = [];
    if (bos) out.push(1);
    if (text.length === 0) return out;
    const seq: number[] = [this.ids.get(' ')!];
    const enc = new TextEncoder();
    for (const cp of Array.from(text)) {
      const id = this.ids.get(cp);
      if (id !== undefined) seq.push(id);
      else for (const b of enc.encode(cp)) seq.push(b + 3);
    }
    for (;;) {
      let best = -1e10;
      let bestId = -1;
      let bestAt = -1;
      for (let i = 0; i + 1 < seq.length; i++) {
        const id = this.ids.get(this.pieces[seq[i]!]! + this.pieces[seq[i + 1]!]!);
        if (id !== undefined && this.tokens[id]!.score > best) {
          best = this.tokens[id]!.score;
          bestId = id;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      seq.splice(bestAt, 2, bestId);
    }
    return [...out, ...seq];
  }

  /** llama2.c's decode() of one token after `prev`, as bytes. */
  decodePiece(prev: number, token: number): Uint8Array {
    const bytes = this.tokens[token]!.bytes;
    const m = /^<0x([0-9A-F]{2})>$/.exec(this.pieces[token]!);
    if (m) return Uint8Array.of(parseInt(m[1]!, 16));
    if (prev === 1 && bytes[0] === 0x20) return bytes.subarray(1);
    return bytes;
  }
}

export class Llama2cForward {
  private readonly keyCache: Float32Array[];
  private readonly valueCache: Float32Array[];

  constructor(private readonly w: Llama2cCheckpoint) {
    const { layers, seqLen, dim, heads, kvHeads } = w.config;
    const kvDim = (dim / heads) * kvHeads;
    this.keyCache = Array.from({ length: layers }, () => new Float32Array(seqLen * kvDim));
    this.valueCache = Array.from({ length: layers }, () => new Float32Array(seqLen * kvDim));
  }

  private static matmul(out: Float32Array, x: Float32Array, w: Float32Array, n: number, d: number): void {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j]! * x[j]!;
      out[i] = s;
    }
  }

  private static rmsnorm(out: Float32Array, x: Float32Array, weight: Float32Array): void {
    let ss = 0;
    for (let j = 0; j < x.length; j++) ss += x[j]! * x[j]!;
    ss = 1 / Math.sqrt(ss / x.length + 1e-5);
    for (let j = 0; j < x.length; j++) out[j] = weight[j]! * (ss * x[j]!);
  }

  /** Logits for `token` at position `pos` (positions must be fed in order from 0). */
  forward(token: number, pos: number): Float32Array {
    const { dim, hiddenDim, layers, heads, kvHeads, vocabSize } = this.w.config;
    const hs = dim / heads;
    const kvDim = hs * kvHeads;
    const kvMul = heads / kvHeads;
    const x = Float32Array.from(this.w.tokenEmbedding.subarray(token * dim, (token + 1) * dim));
    const xb = new Float32Array(dim);
    const xb2 = new Float32Array(dim);
    const q = new Float32Array(dim);
    const hb = new Float32Array(hiddenDim);
    const hb2 = new Float32Array(hiddenDim);
    const att = new Float32Array(pos + 1);
    for (let l = 0; l < layers; l++) {
      Llama2cForward.rmsnorm(xb, x, this.w.rmsAtt[l]!);
      const k = this.keyCache[l]!.subarray(pos * kvDim, (pos + 1) * kvDim);
      const v = this.valueCache[l]!.subarray(pos * kvDim, (pos + 1) * kvDim);
      Llama2cForward.matmul(q, xb, this.w.wq[l]!, dim, dim);
      Llama2cForward.matmul(k, xb, this.w.wk[l]!, dim, kvDim);
      Llama2cForward.matmul(v, xb, this.w.wv[l]!, dim, kvDim);
      for (let i = 0; i < dim; i += 2) {
        const freq = 1 / Math.pow(10000, (i % hs) / hs);
        const fcr = Math.cos(pos * freq);
        const fci = Math.sin(pos * freq);
        for (const vec of i < kvDim ? [q, k] : [q]) {
          const v0 = vec[i]!;
          const v1 = vec[i + 1]!;
          vec[i] = v0 * fcr - v1 * fci;
          vec[i + 1] = v0 * fci + v1 * fcr;
        }
      }
      for (let h = 0; h < heads; h++) {
        const kvOff = Math.floor(h / kvMul) * hs;
        let max = -Infinity;
        for (let t = 0; t <= pos; t++) {
          let s = 0;
          for (let i = 0; i < hs; i++) s += q[h * hs + i]! * this.keyCache[l]![t * kvDim + kvOff + i]!;
          att[t] = s / Math.sqrt(hs);
          max = Math.max(max, att[t]!);
        }
        let sum = 0;
        for (let t = 0; t <= pos; t++) {
          att[t] = Math.exp(att[t]! - max);
          sum += att[t]!;
        }
        for (let i = 0; i < hs; i++) {
          let acc = 0;
          for (let t = 0; t <= pos; t++) acc += (att[t]! / sum) * this.valueCache[l]![t * kvDim + kvOff + i]!;
          xb[h * hs + i] = acc;
        }
      }
      Llama2cForward.matmul(xb2, xb, this.w.wo[l]!, dim, dim);
      for (let i = 0; i < dim; i++) x[i] = x[i]! + xb2[i]!;
      Llama2cForward.rmsnorm(xb, x, this.w.rmsFfn[l]!);
      Llama2cForward.matmul(hb, xb, this.w.w1[l]!, dim, hiddenDim);
      Llama2cForward.matmul(hb2, xb, this.w.w3[l]!, dim, hiddenDim);
      for (let i = 0; i < hiddenDim; i++) hb[i] = (hb[i]! / (1 + Math.exp(-hb[i]!))) * hb2[i]!;
      Llama2cForward.matmul(xb, hb, this.w.w2[l]!, hiddenDim, dim);
      for (let i = 0; i < dim; i++) x[i] = x[i]! + xb[i]!;
    }
    Llama2cForward.rmsnorm(x, x, this.w.rmsFinal);
    const logits = new Float32Array(vocabSize);
    Llama2cForward.matmul(logits, x, this.w.wcls, dim, vocabSize);
    return logits;
  }

  /** run.c's generate() with temperature 0: prompt tokens forced, then argmax; stops at BOS or after `steps` positions. */
  greedy(promptIds: readonly number[], steps: number): number[] {
    const generated: number[] = [];
    let token = promptIds[0]!;
    for (let pos = 0; pos < steps; pos++) {
      const logits = this.forward(token, pos);
      let next: number;
      if (pos < promptIds.length - 1) next = promptIds[pos + 1]!;
      else {
        next = 0;
        for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[next]!) next = i;
        if (next === 1) break;
        generated.push(next);
      }
      token = next;
    }
    return generated;
  }
}
