import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocKind } from '../../contract/contract.ts';
import { checkProject } from '../../engine/project/check.ts';
import { UsageError, type Command } from '../command.ts';

const usage = [
  'longhand project info <dir>                 JSON: title, kind, words, sections, passages, pipeline step',
  '       longhand project check <dir> [--json]      verify integrity; exit 1 on damage',
  '       longhand project create <dir> --title T [--kind story|report|article] [--premise P]',
  '       longhand project snapshot <dir> <name>      take a named snapshot',
  '       longhand project snapshots <dir>            list snapshots (JSON)',
].join('\n');

export const project: Command = {
  name: 'project',
  summary: 'Project folders: info, check (integrity), create, snapshots',
  usage,
  async run(argv, { engine, io }) {
    const [sub, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, title: { type: 'string' }, kind: { type: 'string' }, premise: { type: 'string' } },
    });
    const dir = positionals[0];
    if (!sub) throw new UsageError('missing subcommand');
    if (!dir) throw new UsageError(`project ${sub}: missing <dir>`);
    switch (sub) {
      case 'info': {
        const view = await engine().services.projects.read(dir);
        io.out(JSON.stringify(view.summary(), null, 2));
        for (const p of 'problems' in view ? view.problems : []) if (p.severity === 'damaged') io.err(`warning: ${p.reason} (run \`longhand project check ${dir}\`)`);
        return 0;
      }
      case 'check': {
        const report = await checkProject(dir);
        if (values.json) io.out(JSON.stringify(report, null, 2));
        else {
          io.out(`${report.ok ? 'OK' : 'DAMAGED'}: ${report.dir} (format ${report.formatVersion}, ${report.passages} passages, ${report.journalEntries} journal entries, ${report.snapshots} snapshots)`);
          for (const p of report.problems) io.out(`  ${p.severity === 'damaged' ? 'damaged' : 'note'}: ${p.reason}${p.replacedBy ? ` (opening will use ${p.replacedBy})` : ''}`);
          if (report.lock) io.out(`  lock: process ${report.lock.pid} on ${report.lock.host}${report.lock.stale ? ' (stale: that process is gone)' : ''}`);
        }
        return report.ok ? 0 : 1;
      }
      case 'create': {
        if (!values.title) throw new UsageError('project create: --title is required');
        const kind = DocKind.safeParse(values.kind ?? 'story');
        if (!kind.success) throw new UsageError(`project create: --kind must be one of ${DocKind.options.join(', ')}`);
        const state = await engine().request('project.create', { dir: path.resolve(dir), title: values.title, kind: kind.data, premise: values.premise ?? '' });
        io.out(JSON.stringify(state.summary, null, 2));
        return 0;
      }
      case 'snapshot': {
        const name = positionals[1];
        if (!name) throw new UsageError('project snapshot: missing <name>');
        io.out(JSON.stringify(await engine().request('project.snapshot.create', { dir: path.resolve(dir), name }), null, 2));
        return 0;
      }
      case 'snapshots':
        io.out(JSON.stringify(await engine().request('project.snapshot.list', { dir: path.resolve(dir) }), null, 2));
        return 0;
      default:
        throw new UsageError(`unknown subcommand "${sub}"`);
    }
  },
};
