import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../engine/paths.ts';
import { ProjectStore } from '../../engine/project/store.ts';
import { passage, samplePlan, tempDir } from '../../engine/project/testing.ts';

const run = promisify(execFile);

async function longhand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, LONGHAND_HOME: tempDir('lh-cli-home-') };
  return run(process.execPath, [path.join(appRoot, 'bin', 'longhand.js'), ...args], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('longhand project / export', () => {
  it('info prints the summary; check passes, then fails on damage without changing the project', async () => {
    const dir = path.join(tempDir('lh-cli-proj-'), 'book');
    const store = await ProjectStore.create(dir, { title: 'Book', kind: 'report' });
    await store.savePlan({ ...samplePlan(), kind: 'report' });
    await store.acceptPassage(passage('a1', 'p2', 0, 'Four words are here.'));
    await store.savePipelineState({ step: 'paused', done: 1, total: 4 });
    await store.close();

    const info = await longhand(['project', 'info', dir]);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ title: 'The Keeper’s Map', kind: 'report', words: 4, sections: 4, passages: 1, step: 'paused' });
    expect((await longhand(['project', 'check', dir])).code).toBe(0);

    fs.writeFileSync(path.join(dir, 'flags.json'), '[{"id":');
    const before = fs.readdirSync(dir).sort();
    const check = await longhand(['project', 'check', dir]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/DAMAGED[\s\S]*flags\.json is not valid JSON/);
    expect(fs.readdirSync(dir).sort()).toEqual(before);

    const out = path.join(path.dirname(dir), 'damaged.md');
    const exp = await longhand(['export', dir, '--format', 'md', '--out', out]);
    expect(exp.code).toBe(1);
    expect(exp.stderr).toMatch(/damaged files: flags\.json is not valid JSON[\s\S]*Open the project/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
    expect(fs.readFileSync(path.join(dir, 'flags.json'), 'utf8')).toBe('[{"id":');
  });

  it('export writes the file; bad usage exits 2, a newer project is refused untouched', async () => {
    const dir = path.join(tempDir('lh-cli-exp-'), 'book');
    await (await ProjectStore.create(dir, { title: 'Book', kind: 'story' })).close();
    const out = path.join(path.dirname(dir), 'book.html');
    const ok = await longhand(['export', dir, '--format', 'html', '--out', out, '--include-plan']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ out, bytes: fs.statSync(out).size });
    expect(fs.readFileSync(out, 'utf8')).toContain('Appendix: Plan');
    const unknown = await longhand(['export', dir, '--format', 'rtf', '--out', out]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown format "rtf"');

    const manifest = path.join(dir, 'manifest.json');
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, 'utf8')), formatVersion: 7 }));
    const newer = await longhand(['export', dir, '--format', 'md', '--out', path.join(path.dirname(dir), 'x.md')]);
    expect(newer.code).toBe(1);
    expect(newer.stderr).toMatch(/newer Longhand \(project format 7/);
    expect(fs.existsSync(path.join(path.dirname(dir), 'x.md'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(manifest, 'utf8')).formatVersion).toBe(7);
  });
});
