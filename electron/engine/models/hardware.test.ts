import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../contract/contract.ts';
import { parseNvidiaSmi, recommend } from './hardware.ts';

const entry = (id: string, role: CatalogEntry['role'], sizeBytes: number, minRamGb: number, minVramGb?: number): CatalogEntry => ({
  id,
  name: id,
  role,
  repo: 'a/b',
  revision: 'main',
  files: [],
  sizeBytes,
  license: 'mit',
  minRamGb,
  minVramGb,
});

describe('hardware report', () => {
  it('reads the GPU name and VRAM from nvidia-smi', () => {
    expect(parseNvidiaSmi('NVIDIA H200, 143771\n')).toEqual({ name: 'NVIDIA H200', vramGb: 140.4 });
    expect(parseNvidiaSmi('NVIDIA GeForce RTX 3060, Laptop, 6144\nNVIDIA T4, 15360\n')).toEqual({ name: 'NVIDIA GeForce RTX 3060, Laptop', vramGb: 6 });
    expect(parseNvidiaSmi('NVIDIA A100, [N/A]')).toEqual({ name: 'NVIDIA A100', vramGb: null });
    expect(parseNvidiaSmi('\n')).toBeNull();
  });

  it('recommends the entries that fit RAM, or VRAM when a GPU has enough, largest first per role', () => {
    const catalog = [entry('small', 'generator', 4e8, 2), entry('big', 'generator', 2e9, 8, 4), entry('rel', 'relevance', 2e7, 1), entry('huge', 'generator', 9e9, 32, 24)];
    expect(recommend(catalog, 4, null)).toEqual(['small', 'rel']);
    expect(recommend(catalog, 4, { name: 'GPU', vramGb: 6 })).toEqual(['big', 'small', 'rel']);
    expect(recommend(catalog, 64, null)).toEqual(['huge', 'big', 'small', 'rel']);
  });
});
