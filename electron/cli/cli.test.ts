import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../engine/paths.ts';

const run = promisify(execFile);
const bin = path.join(appRoot, 'bin', 'longhand.js');

export async function longhand(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = env.LONGHAND_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-'));
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, LONGHAND_HOME: home, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('longhand CLI', () => {
  it('prints its version and help', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string };
    expect((await longhand(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await longhand(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('doctor');
  });

  it('doctor reports versions, providers and folders', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-doc-'));
    const r = await longhand(['doctor', '--json'], { LONGHAND_HOME: home });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as { node: string; home: string; onnxruntime: { providers: string[] } };
    expect(d.node).toBe(process.versions.node);
    expect(d.home).toBe(home);
    expect(d.onnxruntime.providers).toContain('cpu');
  });

  it('rejects an unknown command with exit code 2', async () => {
    const r = await longhand(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command');
  });
});
