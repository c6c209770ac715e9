import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cosine, loadClassifier } from '../../electron/engine/scoring/classifier.ts';
import { wordVectorModelFiles, type WordVectorSpec } from './classifierWordVectors.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-wordvec-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Three orthogonal directions; "the" is weighted near zero (a stop word under SIF).
const spec: WordVectorSpec = {
  words: ['the', 'storm', 'sea', 'bread'],
  dims: 3,
  vectors: Float32Array.from([1, 1, 1, 1, 0, 0, 0.8, 0.2, 0, 0, 0, 1]),
  weights: Float32Array.from([0.01, 1, 1, 1]),
};

function write(dir: string): void {
  for (const [name, bytes] of wordVectorModelFiles(spec)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes);
  }
}

describe('word-vector bi-encoder builder', () => {
  it('writes the same bytes every time', () => {
    const a = wordVectorModelFiles(spec);
    const b = wordVectorModelFiles(spec);
    expect([...a.keys()]).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']);
    for (const [k, v] of a) expect(Buffer.from(v).equals(Buffer.from(b.get(k)!))).toBe(true);
  });

  it('loads in the classifier runtime and pools weighted, masked, normalized vectors', async () => {
    const dir = path.join(tmp, 'm');
    write(dir);
    const m = await loadClassifier(dir, { providers: ['cpu'] });
    if (m.kind !== 'bi-encoder') throw new Error('expected a bi-encoder');
    const [storm, theStorm, stormSea, bread, unknown] = await m.model.embed(['Storm!', 'the storm', 'storm sea', 'BREAD', 'zebra']);
    // Int8 per-row quantization keeps directions to within ~1%.
    expect(storm![0]).toBeCloseTo(1, 2);
    expect(cosine(storm!, theStorm!)).toBeGreaterThan(0.99);
    const expected = [1 + 0.8, 0.2, 0];
    const norm = Math.hypot(...expected);
    expect(stormSea![0]).toBeCloseTo(expected[0]! / norm, 2);
    expect(stormSea![1]).toBeCloseTo(expected[1]! / norm, 2);
    expect(cosine(storm!, bread!)).toBeCloseTo(0, 2);
    expect(Array.from(unknown!)).toEqual([0, 0, 0]);
    await m.model.dispose();
  });
});
