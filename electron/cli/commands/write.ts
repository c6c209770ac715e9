import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DocKind, EngineEvent, PipelineState, Plan, WriteOptions } from '../../contract/contract.ts';
import { fail } from '../../engine/errors.ts';
import { writeFileAtomic } from '../../engine/fs/atomic.ts';
import { joinPassages, orderedPassages } from '../../engine/pipeline/context.ts';
import { leaves, type Leaf } from '../../engine/pipeline/outline.ts';
import { importPlan } from '../../engine/pipeline/plan-file.ts';
import { buildReport } from '../../engine/pipeline/report.ts';
import { numberFlag, UsageError, type Command } from '../command.ts';

const KINDS = ['story', 'report', 'article'] as const;


export const write: Command = {
  name: 'write',
  summary: 'Write a whole document: plan → draft → rerank → revise (resumes an existing --project)',
  usage:
    'longhand write --premise <text> | --plan <plan.json> [--kind story|report|article] [--model <dir>] [--relevance-model <dir>] ' +
    '[--endpoint URL] [--candidates K] [--passages-per-point N] [--target-words W] [--max-tokens N] [--seed S] [--no-revise] ' +
    '[--out <file.md>] [--project <dir>] [--report <file.json>]',
  async run(argv, { engine, io }) {
    const { values } = parseArgs({
      args: argv,
      options: {
        premise: { type: 'string' },
        plan: { type: 'string' },
        kind: { type: 'string' },
        model: { type: 'string' },
        'relevance-model': { type: 'string' },
        endpoint: { type: 'string' },
        candidates: { type: 'string' },
        'passages-per-point': { type: 'string' },
        'target-words': { type: 'string' },
        'max-tokens': { type: 'string' },
        seed: { type: 'string' },
        'no-revise': { type: 'boolean' },
        out: { type: 'string' },
        project: { type: 'string' },
        report: { type: 'string' },
      },
    });
    if (values.kind !== undefined && !KINDS.includes(values.kind as DocKind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}.`);
    if (values.premise !== undefined && values.plan !== undefined) throw new UsageError('Give --premise or --plan, not both.');
    const projectDir = values.project ? path.resolve(values.project) : undefined;
    const resuming = projectDir !== undefined && fs.existsSync(path.join(projectDir, 'manifest.json'));
    if (!resuming && values.premise === undefined && values.plan === undefined) throw new UsageError('Give --premise <text> or --plan <plan.json> (or --project <dir> of an existing project to resume).');
    if (!values.model && !values.endpoint) throw new UsageError('Give --model <dir> (a local ONNX model folder) or --endpoint <url> (an OpenAI-compatible server).');
    const options: Partial<WriteOptions> = {
      ...(values.candidates !== undefined ? { candidates: numberFlag(values.candidates, '--candidates', { integer: true, min: 1, max: 32 }) } : {}),
      ...(values['passages-per-point'] !== undefined ? { passagesPerPoint: numberFlag(values['passages-per-point'], '--passages-per-point', { integer: true, min: 1, max: 64 }) } : {}),
      ...(values['max-tokens'] !== undefined ? { maxTokensPerPassage: numberFlag(values['max-tokens'], '--max-tokens', { integer: true, min: 8, max: 2048 }) } : {}),
      ...(values.seed !== undefined ? { seed: numberFlag(values.seed, '--seed', { integer: true, min: 0, max: 2 ** 31 }) } : {}),
      ...(values['no-revise'] ? { revise: false } : {}),
      ...(values.endpoint ? { endpoint: values.endpoint } : {}),
      ...(values['relevance-model'] ? { relevanceModel: path.resolve(values['relevance-model']) } : {}),
    };
    const targetWords = numberFlag(values['target-words'], '--target-words', { integer: true, min: 1, max: 1_000_000 });

    // Read the inputs before touching any folder, so bad input leaves nothing behind.
    let imported: { plan: Plan } | null = null;
    if (!resuming && values.plan !== undefined) {
      let text: string;
      try {
        text = await fsp.readFile(values.plan, 'utf8');
      } catch (err) {
        fail('not_found', `Cannot read the plan file: ${(err as Error).message}`, { file: values.plan, hint: 'Check the path.' });
      }
      imported = importPlan(text, values.plan);
      if (values.kind && values.kind !== imported.plan.kind) throw new UsageError(`--kind ${values.kind} disagrees with the plan file's kind "${imported.plan.kind}".`);
    }
    if (!resuming && values.premise !== undefined) {
      if (!values.premise.trim()) throw new UsageError('--premise is empty.');
      if (values.premise.length > 200_000) fail('limit', `The premise is ${values.premise.length} characters; the limit is 200000.`, { field: 'premise', hint: 'Shorten the premise, and put background material in a reference document or a plan file.' });
    }

    const e = engine();
    if (values.model) await e.request('generator.load', { modelDir: path.resolve(values.model) });

    let dir: string;
    if (resuming) {
      dir = projectDir!;
      await e.request('project.open', { dir });
      io.err(`Resuming ${dir}`);
    } else {
      const plan = imported?.plan;
      const kind = plan?.kind ?? (values.kind as DocKind | undefined) ?? 'story';
      const premise = plan?.premise ?? values.premise!;
      const title = plan?.title || premise.split(/[.!?\n]/)[0]!.slice(0, 80) || 'Untitled';
      const created = await e.request('project.create', { ...(projectDir ? { dir: projectDir } : {}), title, kind, premise });
      dir = created.summary.dir;
      if (plan) await e.request('project.savePlan', { dir, plan: { ...plan, title: plan.title } });
      io.err(`Project ${dir}`);
    }
    if (targetWords !== undefined) {
      const state = await e.request('project.open', { dir });
      await e.request('project.savePlan', { dir, plan: { ...state.plan, targetWords } });
    }
    // Parts the plan lacks (all of it, from a bare premise) are generated; a written part is never replaced.
    let plan = (await e.request('project.open', { dir })).plan;
    if (!plan.title || !plan.setting || plan.outline.length === 0 || (plan.kind === 'story' && plan.characters.length === 0)) {
      plan = await e.services.pipeline.plans.generate(dir, 'all', options.endpoint);
    }

    const progress = progressPrinter(io, leaves(plan.outline));
    const off = e.onEvent((ev) => {
      progress.event(ev);
      // One line per passage, printed once it is durable (the kill test and scripts rely on this).
      if (ev.type === 'passage.accepted' && ev.dir === dir) io.out(`accepted ${ev.passage.id} point ${ev.passage.pointId}${ev.passage.editedByUser ? ' (edited)' : ''}`);
    });
    const stop = () => void e.request('write.stop', { dir });
    process.once('SIGINT', stop);
    let final: PipelineState;
    try {
      await e.request('write.start', { dir, options });
      final = await e.services.pipeline.wait(dir);
    } finally {
      off();
      process.off('SIGINT', stop);
      progress.end();
    }

    const state = await e.request('project.open', { dir });
    const ordered = orderedPassages(state.plan, state.passages);
    const text = joinPassages(ordered);
    const report = buildReport(state.plan, ordered, text, state.flags);
    if (values.report) await writeFileAtomic(path.resolve(values.report), JSON.stringify({ project: dir, state: final, ...report }, null, 2) + '\n');
    if (values.out) {
      const out = path.resolve(values.out);
      await e.request('project.export', { dir, format: 'md', out });
    }
    io.out(
      [
        `${final.step === 'done' ? 'Done' : `Ended: ${final.step}`}: ${report.words} words in ${report.passages} passages, ${report.seconds.toFixed(1)} s of drafting.`,
        ...(report.lengthScore !== null ? [`Length score S_l: ${report.lengthScore.toFixed(1)} (target ${report.targetWords} words)`] : []),
        ...(report.flags.list.length ? [`Consistency flags: ${Object.entries(report.flags.byStatus).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ')}`] : []),
        `Project: ${dir}`,
        ...(values.out ? [`Document: ${path.resolve(values.out)}`] : []),
        ...(values.report ? [`Report: ${path.resolve(values.report)}`] : []),
      ].join('\n'),
    );
    return final.step === 'done' ? 0 : 1;
  },
};

/** A progress bar on stderr (redrawn in place on a terminal; one line per finished point otherwise). */
function progressPrinter(io: { err(t: string): void }, ls: Leaf[]) {
  const tty = process.stderr.isTTY === true;
  let lastDone = -1;
  let drawn = false;
  const render = (s: PipelineState) => {
    const width = 24;
    const filled = s.total ? Math.round((s.done / s.total) * width) : 0;
    const eta = s.etaSeconds !== undefined ? ` ETA ${formatSeconds(s.etaSeconds)}` : '';
    const tps = s.tokensPerSecond ? ` ${s.tokensPerSecond.toFixed(0)} tok/s` : '';
    const point = s.currentPointId ? ` · ${s.currentPointId} ${ls.find((l) => l.point.id === s.currentPointId)?.point.text.slice(0, 40) ?? ''}` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${s.done}/${s.total} ${s.step}${eta}${tps}${point}`;
  };
  return {
    event(ev: EngineEvent) {
      if (ev.type !== 'pipeline.state') return;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${render(ev.state)}`);
        drawn = true;
      } else if (ev.state.done !== lastDone || ['done', 'paused', 'stopped', 'error'].includes(ev.state.step)) {
        lastDone = ev.state.done;
        io.err(render(ev.state));
      }
    },
    end() {
      if (drawn) process.stderr.write('\n');
    },
  };
}

function formatSeconds(s: number): string {
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}
