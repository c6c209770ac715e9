/**
 * Kill test: starts a long-running writer on a project and SIGKILLs it at random moments, N times. After each kill,
 * `project check` must pass and every passage accepted before the kill must be present.
 *
 *   tsx scripts/kill-test.ts [--iterations 20] [--writer write|store] [--model <dir>] [--seed N]
 *
 * `--writer write` (default) runs the real `longhand write --project <dir> --model <dir>` (the pipeline; without --model a
 * tiny model is built with the repo's builder); `--writer store` runs scripts/kill-child.ts,
 * which appends through the ProjectStore directly. "Accepted before the kill" is what the writer printed as accepted
 * (`accepted <id>` lines) plus every passage a reader saw on disk just before the kill.
 */
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { appRoot } from '../electron/engine/paths.ts';
import { checkProject, type CheckReport } from '../electron/engine/project/check.ts';
import { ProjectReader } from '../electron/engine/project/readonly.ts';
import { ProjectStore } from '../electron/engine/project/store.ts';
import { samplePlan } from '../electron/engine/project/testing.ts';

const run = promisify(execFile);

export interface KillTestOptions {
  iterations: number;
  /** The writer's command line for a project folder. */
  writer: (dir: string) => { cmd: string; args: string[]; env?: Record<string, string> };
  /** Prepares the project (default: an empty story with a three-point outline). */
  setup?: (dir: string) => Promise<void>;
  /** Kill after the writer has accepted at least this many passages in this run (default 1), then a random delay. */
  minAccepted?: number;
  maxDelayMs?: number;
  /** Run `longhand project check` as a process (default) or in-process. */
  checkWith?: 'cli' | 'inprocess';
  seed?: number;
  log?: (line: string) => void;
  /** Gives up on a run that accepts nothing for this long. */
  stallMs?: number;
  /**
   * Half of the rounds (at random) kill at a random moment within this many ms of the start instead of after
   * progress: during start-up, open, journal repair, the pre-run snapshot. 0 (default) disables.
   */
  earlyKillMs?: number;
  /** More invariants after each kill, from the writer's stdout lines of all rounds so far; returns what is violated. */
  verify?: (dir: string, lines: string[]) => Promise<string[]>;
}

export interface KillRound {
  round: number;
  early: boolean;
  killedAfterMs: number;
  acceptedBeforeKill: number;
  presentAfter: number;
  check: Pick<CheckReport, 'ok' | 'problems'>;
  missing: string[];
  violations: string[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function checkViaCli(dir: string): Promise<CheckReport> {
  const bin = path.join(appRoot, 'bin', 'longhand.js');
  const r = await run(process.execPath, [bin, 'project', 'check', dir, '--json']).catch((e: { stdout: string; stderr: string }) => e);
  try {
    return JSON.parse(r.stdout) as CheckReport;
  } catch {
    throw new Error(`longhand project check printed no report:\n${r.stdout}\n${(r as { stderr?: string }).stderr ?? ''}`);
  }
}

export async function defaultSetup(dir: string): Promise<void> {
  const store = await ProjectStore.create(dir, { title: 'Kill test', kind: 'story', premise: 'A lighthouse keeper finds a map.' });
  await store.savePlan(samplePlan());
  await store.close();
}

export async function killTest(dir: string, o: KillTestOptions): Promise<KillRound[]> {
  const random = rng(o.seed ?? Date.now());
  const log = o.log ?? (() => {});
  await (o.setup ?? defaultSetup)(dir);
  const rounds: KillRound[] = [];
  const history: string[] = []; // the writer's stdout over all rounds: what was reported saved must stay saved
  const everAccepted = new Set<string>(); // accepted in any round so far: must all be present after every kill
  for (let round = 1; round <= o.iterations; round++) {
    const { cmd, args, env } = o.writer(dir);
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const accepted = new Set<string>();
    let stderr = '';
    let buffered = '';
    let exited = false;
    const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
    let poll: NodeJS.Timeout | undefined;
    const seen = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const l of lines) {
          history.push(l);
          const m = /^accepted (\S+)/.exec(l.trim());
          if (m) accepted.add(m[1]!);
        }
        if (accepted.size >= (o.minAccepted ?? 1)) resolve();
      });
      // A writer that prints nothing we parse: fall back to watching the project on disk.
      poll = setInterval(async () => {
        try {
          const n = (await ProjectReader.load(dir)).passages().length;
          if (n > (rounds.at(-1)?.presentAfter ?? 0)) resolve();
        } catch {
          /* mid-write: try again */
        }
      }, 100);
    });
    void Promise.race([seen, exit]).finally(() => clearInterval(poll));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const started = Date.now();
    const early = (o.earlyKillMs ?? 0) > 0 && random() < 0.5;
    if (early) {
      await Promise.race([new Promise((r) => setTimeout(r, random() * o.earlyKillMs!)), exit]);
    } else {
      const stall = new Promise<'stall'>((r) => setTimeout(() => r('stall'), o.stallMs ?? 60_000).unref());
      if ((await Promise.race([seen.then(() => 'ok' as const), exit.then(() => 'exit' as const), stall])) !== 'ok') {
        child.kill('SIGKILL');
        await exit;
        throw new Error(`round ${round}: the writer accepted nothing (exited: ${exited}).\n${stderr.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, random() * (o.maxDelayMs ?? 300)));
    }
    if (exited) throw new Error(`round ${round}: the writer exited on its own before the kill.\n${stderr.slice(-2000)}`);
    // What a reader sees on disk now was durable before the kill.
    const onDisk = await ProjectReader.load(dir).then((v) => v.passages().map((p) => p.id), () => [] as string[]);
    child.kill('SIGKILL');
    await exit;
    const killedAfterMs = Date.now() - started;
    for (const id of onDisk) accepted.add(id);
    const check = o.checkWith === 'inprocess' ? await checkProject(dir) : await checkViaCli(dir);
    const present = new Set((await ProjectReader.load(dir)).passages().map((p) => p.id));
    for (const id of accepted) everAccepted.add(id);
    const missing = [...everAccepted].filter((id) => !present.has(id));
    const violations = (await o.verify?.(dir, history)) ?? [];
    const r: KillRound = { round, early, killedAfterMs, acceptedBeforeKill: everAccepted.size, presentAfter: present.size, check: { ok: check.ok, problems: check.problems }, missing, violations };
    rounds.push(r);
    log(`round ${round}: killed ${early ? 'at a random moment' : 'while writing'}, ${killedAfterMs} ms after start; accepted ${everAccepted.size}, present ${present.size}, check ${check.ok ? 'ok' : 'DAMAGED'}${missing.length ? `, MISSING ${missing.join(',')}` : ''}${violations.length ? `, VIOLATED: ${violations.join('; ')}` : ''}`);
    if (!check.ok || missing.length || violations.length) break;
  }
  return rounds;
}

/** For kill-child.ts: the last document and pipeline state it reported saved must be what a reopen finds (or newer). */
export async function verifyStoreWriter(dir: string, lines: string[]): Promise<string[]> {
  const view = await ProjectReader.load(dir);
  const out: string[] = [];
  const last = (tag: string) => Math.max(-1, ...lines.filter((l) => l.startsWith(`${tag} `)).map((l) => Number(l.split(' ')[1])));
  const doc = last('document');
  const inDoc = JSON.stringify(view.document() ?? {}).match(/"passageId"/g)?.length ?? 0;
  if (inDoc < doc) out.push(`document has ${inDoc} passage paragraphs, ${doc} were saved`);
  const done = last('pipeline');
  if (view.pipelineState().done < done) out.push(`pipeline state done=${view.pipelineState().done}, ${done} was saved`);
  const ledger = last('ledger');
  const facts = readLedger(dir);
  if (facts < ledger) out.push(`ledger has ${facts} facts, ${ledger} were saved`);
  return out;
}

function readLedger(dir: string): number {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'data', 'ledger.json'), 'utf8')) as { facts: unknown[] }).facts.length;
  } catch {
    return 0;
  }
}

const storeWriter = (dir: string) => ({ cmd: process.execPath, args: ['--import', 'tsx', path.join(appRoot, 'scripts', 'kill-child.ts'), dir] });
/** The real pipeline: `longhand write --project <dir> --model <model>` (resumes the project each time), long enough never to finish. */
export const writeCommand = (model: string) => (dir: string) => ({
  cmd: process.execPath,
  args: [path.join(appRoot, 'bin', 'longhand.js'), 'write', '--project', dir, '--model', model, '--passages-per-point', '64', '--candidates', '2', '--max-tokens', '24'],
});

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: { iterations: { type: 'string', default: '20' }, writer: { type: 'string', default: 'write' }, model: { type: 'string' }, seed: { type: 'string' }, dir: { type: 'string' } },
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-kill-'));
  const dir = values.dir ?? path.join(tmp, 'project');
  let model = values.model;
  if (values.writer === 'write' && !model) {
    // A tiny real ONNX decoder from the repo's own builder (random weights: the text is noise, the writes are real).
    const { buildTestModel } = await import('../models/builder/build-test-model.ts');
    model = path.join(tmp, 'model');
    await buildTestModel({ arch: 'llama', out: model, size: 'tiny', seed: 7 });
  }
  const rounds = await killTest(dir, {
    log: (l) => console.log(l),
    iterations: Number(values.iterations),
    writer: values.writer === 'write' ? writeCommand(model!) : storeWriter,
    verify: values.writer === 'write' ? undefined : verifyStoreWriter,
    seed: values.seed ? Number(values.seed) : undefined,
    earlyKillMs: 1500,
  }).catch((err: Error) => {
    console.error(`kill test stopped: ${err.message}`);
    process.exit(1);
  });
  const failed = rounds.filter((r) => !r.check.ok || r.missing.length || r.violations.length);
  console.log(failed.length ? `FAILED (${dir})` : `passed: ${rounds.length} kills, ${rounds.at(-1)?.presentAfter ?? 0} passages (${dir})`);
  process.exitCode = failed.length || rounds.length < Number(values.iterations) ? 1 : 0;
}
