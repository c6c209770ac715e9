import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExportFormat } from '../../contract/contract.ts';
import { UsageError, type Command } from '../command.ts';

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export a project to Markdown, HTML, DOCX, PDF or EPUB',
  usage: 'longhand export <project-dir> --format md|html|docx|pdf|epub --out <file> [--include-plan] [--include-scores]',
  async run(argv, { engine, io }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string' }, out: { type: 'string' }, 'include-plan': { type: 'boolean' }, 'include-scores': { type: 'boolean' } },
    });
    const dir = positionals[0];
    if (!dir) throw new UsageError('missing <project-dir>');
    if (!values.format) throw new UsageError('--format is required');
    const format = ExportFormat.safeParse(values.format);
    if (!format.success) throw new UsageError(`unknown format "${values.format}": use one of ${ExportFormat.options.join(', ')}`);
    if (!values.out) throw new UsageError('--out is required');
    const e = engine();
    const off = e.onEvent((ev) => {
      if (ev.type === 'progress' && ev.task.startsWith('export:')) io.err(`[${ev.done}/${ev.total}] ${ev.label}`);
    });
    try {
      const r = await e.request('project.export', {
        dir: path.resolve(dir),
        format: format.data,
        out: path.resolve(values.out),
        includePlan: values['include-plan'] ?? false,
        includeScores: values['include-scores'] ?? false,
      });
      io.out(JSON.stringify(r));
      return 0;
    } finally {
      off();
    }
  },
};
