import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { storyPlan, tinyModelDir } from '../../engine/pipeline/testing.ts';
import { exportPlan } from '../../engine/pipeline/plan-file.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { appRoot } from '../../engine/paths.ts';

const exec = promisify(execFile);
async function longhand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-write-home-'));
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(appRoot, 'bin', 'longhand.js'), ...args], { env: { ...process.env, LONGHAND_HOME: home }, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let model: string;
let work: string;
beforeAll(async () => {
  model = await tinyModelDir();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-write-'));
});

const planFile = (name: string, value: unknown) => {
  const f = path.join(work, name);
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
};

interface Report {
  words: number;
  passages: number;
  lengthScore: number | null;
  perPassage: Array<{ passageId: string; pointId: string; point: string; winner: number; tokens: number; seconds: number; candidates: Array<{ scores: { combined: number } }> }>;
}

describe('longhand write', () => {
  it('writes a plan to a project, a Markdown file and a per-passage report; re-running resumes', async () => {
    const plan = planFile('plan.json', { ...exportPlan(storyPlan()), targetWords: 60 });
    const project = path.join(work, 'story');
    const out = path.join(work, 'story.md');
    const report = path.join(work, 'report.json');
    const args = ['write', '--plan', plan, '--model', model, '--project', project, '--out', out, '--report', report, '--candidates', '2', '--max-tokens', '24', '--seed', '4'];
    const r = await longhand(args);
    expect(r.stderr).toMatch(/\] 3\/3 done/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Done: \d+ words in \d+ passages/);
    expect(r.stdout).toMatch(/Length score S_l: \d/);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toContain('Anna finds a dog in the park.');
    const rep = JSON.parse(fs.readFileSync(report, 'utf8')) as Report;
    expect(rep.passages).toBeGreaterThanOrEqual(3);
    for (const p of rep.perPassage) {
      expect(p.point.length).toBeGreaterThan(0);
      expect(p.candidates.length).toBeGreaterThan(0);
      expect(p.candidates[p.winner]!.scores.combined).toBe(Math.max(...p.candidates.map((c) => c.scores.combined)));
      expect(p.tokens).toBeGreaterThan(0);
      expect(p.seconds).toBeGreaterThan(0);
    }
    const again = await longhand(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`Resuming ${project}`);
    const rep2 = JSON.parse(fs.readFileSync(report, 'utf8')) as Report;
    expect(rep2.perPassage).toEqual(rep.perPassage);
  });

  it('plans from a bare premise; a part the model cannot write is a clear error, and the project resumes once it is written', async () => {
    const project = path.join(work, 'premise');
    const r = await longhand(['write', '--premise', 'Anna finds a lost dog in the park.', '--model', model, '--project', project, '--seed', '1', '--max-tokens', '16', '--candidates', '2']);
    // A random-weight model can't write a usable outline (or names): Re3's filters refuse its samples.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/could not write a usable 3-point outline|no usable character names|no usable (title|setting)/);
    const { ProjectStore } = await import('../../engine/project/store.ts');
    const store = await ProjectStore.open(project);
    const saved = store.plan();
    expect(saved.premise).toBe('Anna finds a lost dog in the park.');
    await store.savePlan({ ...storyPlan(), premise: saved.premise, title: saved.title || 'T' });
    await store.close();
    const again = await longhand(['write', '--project', project, '--model', model, '--max-tokens', '16', '--candidates', '2']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^accepted 1#0 point 1$/m);
  });

  it('refuses bad input with clear errors and creates nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'story', outline: ['a'] }, /premise: missing/],
      [{ kind: 'story', premise: 'p', outline: [] }, /outline: has no points/],
      [{ kind: 'story', premise: 'x'.repeat(1_000_000), outline: ['a'] }, /premise: at most 200000 characters/],
      [{ kind: 'novel', premise: 'p', outline: ['a'] }, /kind/],
    ];
    for (const [i, [value, message]] of cases.entries()) {
      const project = path.join(work, `bad-${i}`);
      const r = await longhand(['write', '--plan', planFile(`bad-${i}.json`, value), '--model', model, '--project', project]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(fs.existsSync(project)).toBe(false);
    }
    const usage = await longhand(['write', '--premise', 'A dog.']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--model');
    const missing = await longhand(['write', '--plan', path.join(work, 'nope.json'), '--model', model]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Cannot read the plan file');
  });
});
