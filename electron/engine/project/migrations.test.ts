import { describe, expect, it } from 'vitest';
import type { Manifest } from './format.ts';
import { migrate, type Migration } from './migrations.ts';

const manifest = (formatVersion: number): Manifest => ({ format: 'longhand-project', formatVersion, appVersion: '0', id: 'x', kind: 'story', title: 't', createdAt: '', updatedAt: '' });

describe('migrations', () => {
  it('runs each step in order up to the target version', async () => {
    const seen: number[] = [];
    const step = (n: number): Migration => async (_dir, m) => (seen.push(n), { ...m, formatVersion: n + 1 });
    const out = await migrate('/p', manifest(1), { 1: step(1), 2: step(2) }, 3);
    expect(out.formatVersion).toBe(3);
    expect(seen).toEqual([1, 2]);
  });

  it('refuses a newer project and a version with no migration', async () => {
    await expect(migrate('/p', manifest(5), {}, 3)).rejects.toMatchObject({ apiError: { code: 'bad_input', message: expect.stringMatching(/newer Longhand/) } });
    await expect(migrate('/p', manifest(1), {}, 2)).rejects.toMatchObject({ apiError: { code: 'bad_input', message: expect.stringMatching(/No migration from project format 1/) } });
  });
});
