import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../engine/paths.ts';
import { startHubServer, type HubServer } from '../../engine/models/testing/hub-server.ts';

const run = promisify(execFile);
const bin = path.join(appRoot, 'bin', 'longhand.js');

async function longhand(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let hub: HubServer;
const files = [
  { path: 'config.json', data: Buffer.from('{"model_type":"bert","id2label":{"0":"LABEL_0"}}') },
  { path: 'tokenizer.json', data: Buffer.from('{"model":{}}') },
  { path: 'tokenizer_config.json', data: Buffer.from('{}') },
  { path: 'onnx/model_quantized.onnx', data: randomBytes(600_000) },
];

beforeAll(async () => {
  hub = await startHubServer({ 'cli-org/reranker': { revision: 'main', files } });
});
afterAll(() => hub.close());

describe('longhand models', () => {
  it('pulls with progress on stderr, lists, assigns a role and removes', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-models-'));
    const env = { LONGHAND_HOME: home, HF_ENDPOINT: hub.endpoint };
    const pull = await longhand(['models', 'pull', 'cli-org/reranker', '--role', 'relevance'], env);
    expect(pull.stderr).toMatch(/100% .*installed/);
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain('Installed cli-org--reranker-q8');
    expect(hub.requests.some((r) => r.url.startsWith('/cdn/'))).toBe(true);

    const use = await longhand(['models', 'use', 'relevance', 'cli-org--reranker-q8'], env);
    expect(use.code).toBe(0);
    const list = await longhand(['models', 'list'], env);
    expect(list.stdout).toMatch(/cli-org--reranker-q8 .*hub .*← relevance/);
    const json = JSON.parse((await longhand(['models', 'list', '--json'], env)).stdout) as { roles: { relevance: string } };
    expect(json.roles.relevance).toBe('cli-org--reranker-q8');

    expect((await longhand(['models', 'remove', 'cli-org--reranker-q8'], env)).code).toBe(0);
    expect(fs.existsSync(path.join(home, 'models', 'cli-org--reranker-q8'))).toBe(false);
    expect((await longhand(['models', 'remove', 'cli-org--reranker-q8'], env)).code).toBe(1);
  });

  it('exits non-zero with the reason when a pull fails, and 2 on bad usage', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-models-'));
    const missing = await longhand(['models', 'pull', 'cli-org/nothing-here', '--endpoint', hub.endpoint], { LONGHAND_HOME: home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no repo "cli-org\/nothing-here"/);
    const bad = await longhand(['models', 'pull', 'x/../../y', '--endpoint', hub.endpoint], { LONGHAND_HOME: home });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a Hugging Face repo id');
    expect((await longhand(['models', 'pull', 'cli-org/reranker', '--dtype', 'q3'], { LONGHAND_HOME: home })).code).toBe(2);
    expect((await longhand(['models', 'frob'], { LONGHAND_HOME: home })).code).toBe(2);
    expect(fs.existsSync(path.join(home, 'models'))).toBe(false);
  });

  it('lists the catalog and a hardware report', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-models-'));
    const cat = await longhand(['models', 'list', '--catalog'], { LONGHAND_HOME: home });
    expect(cat.code).toBe(0);
    expect(cat.stdout).toContain('qwen2.5-0.5b-instruct-q4');
    const hw = JSON.parse((await longhand(['models', 'hardware', '--json'], { LONGHAND_HOME: home })).stdout) as { providers: string[] };
    expect(hw.providers).toContain('cpu');
  });
});
