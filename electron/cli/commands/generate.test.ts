import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../../models/builder/build-test-model.ts';
import { main } from '../main.ts';

/** Runs the CLI in-process, capturing what it prints. */
async function longhand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) });
  return { code, stdout, stderr };
}

const STORIES = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'models', 'stories260k');
const storiesPresent = fs.existsSync(join(STORIES, 'stories260K.bin'));
if (!storiesPresent) console.log(`SKIPPED the convert-llama2c CLI test: ${STORIES} is absent.`);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lh-cli-gen-'));
  process.env.LONGHAND_HOME = join(root, 'home');
  await buildTestModel({ arch: 'gpt2', out: join(root, 'gpt2') });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('longhand generate', () => {
  it('prints k candidates and stats as JSON', async () => {
    const r = await longhand(['generate', '--model', join(root, 'gpt2'), '--prompt', 'The report', '--candidates', '2', '--max-tokens', '8', '--seed', '4', '--provider', 'cpu', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { architecture: string; candidates: Array<{ tokens: number }>; stats: { provider: string; generatedTokens: number; tokensPerSecond: number; timeToFirstTokenMs: number } };
    expect(out.architecture).toBe('gpt2');
    expect(out.candidates).toHaveLength(2);
    expect(out.stats).toMatchObject({ provider: 'cpu' });
    expect(out.stats.generatedTokens).toBe(out.candidates[0]!.tokens + out.candidates[1]!.tokens);
    expect(out.stats.tokensPerSecond).toBeGreaterThan(0);
  });

  it('rejects bad usage and names a missing model folder', async () => {
    expect((await longhand(['generate', '--prompt', 'x'])).code).toBe(2);
    expect((await longhand(['generate', '--model', join(root, 'gpt2'), '--prompt', 'x', '--temperature', 'hot'])).code).toBe(2);
    const missing = await longhand(['generate', '--model', join(root, 'nope'), '--prompt', 'x']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(root, 'nope'));
  });
});

describe.skipIf(!storiesPresent)('longhand convert-llama2c', () => {
  it('converts stories260K and the folder generates llama2.c greedy text', async () => {
    const out = join(root, 'stories');
    const c = await longhand(['convert-llama2c', join(STORIES, 'stories260K.bin'), join(STORIES, 'tok512.bin'), out]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('5 layers');
    const g = await longhand(['generate', '--model', out, '--prompt', '', '--temperature', '0', '--max-tokens', '200', '--json']);
    const expected = await readFile(join(STORIES, 'expected-greedy.txt'), 'utf8');
    expect((JSON.parse(g.stdout) as { candidates: Array<{ text: string }> }).candidates[0]!.text).toBe(expected);
  });
});
