import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { ExportFormat } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { fsyncDir, tempPathFor, writeFileAtomic } from '../fs/atomic.ts';
import { documentModel, type DocModel, type ProjectView } from '../project/document/index.ts';
import { renderDocx } from './docx.ts';
import { renderEpub } from './epub.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { planAppendix } from './model-extras.ts';
import { chromiumPdf, type HtmlToPdf } from './pdf.ts';

export interface ExportOptions {
  format: string;
  out: string;
  includePlan?: boolean;
  includeScores?: boolean;
  /** How HTML becomes PDF (the Electron host may pass printToPDF); headless Chromium by default. */
  htmlToPdf?: HtmlToPdf;
}

export type ExportProgress = (done: number, total: number, label: string) => void;

/** Checks the output path before any work: the folder must exist and be writable, the target must not be a folder. */
export function checkOutPath(out: string): string {
  const file = path.resolve(out);
  const dir = path.dirname(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    fail('not_found', `The output folder ${dir} does not exist.`, { field: 'out', file: dir, hint: 'Create the folder first, or choose another output path.' });
  }
  if (!st.isDirectory()) fail('bad_input', `${dir} is not a folder.`, { field: 'out', file: dir, hint: 'Choose an output path inside a folder.' });
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    fail('io', `The output folder ${dir} is not writable.`, { field: 'out', file: dir, hint: 'Choose a folder you can write to.' });
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) fail('bad_input', `${file} is a folder.`, { field: 'out', file, hint: 'Give a file name, e.g. book.epub.' });
  return file;
}

export function exportModel(view: ProjectView, includePlan = false): DocModel {
  const model = documentModel(view);
  return includePlan ? { ...model, blocks: [...model.blocks, ...planAppendix(view.plan())] } : model;
}

/**
 * Exports a project to md | html | docx | pdf | epub. The file appears at `out` only when complete (temp file in the
 * same folder, then rename): a failure or a kill never leaves a partial file there.
 */
export async function exportProject(view: ProjectView, opts: ExportOptions, progress: ExportProgress = () => {}): Promise<{ out: string; bytes: number }> {
  const format = ExportFormat.safeParse(opts.format);
  if (!format.success) {
    fail('bad_input', `Unknown export format ${JSON.stringify(opts.format)}.`, { field: 'format', hint: `Use one of: ${ExportFormat.options.join(', ')}.` });
  }
  const out = checkOutPath(opts.out);
  const total = 3;
  progress(0, total, 'Reading the document');
  const model = exportModel(view, opts.includePlan);
  progress(1, total, `Rendering ${format.data.toUpperCase()}`);
  const scores = opts.includeScores ?? false;
  switch (format.data) {
    case 'md':
      await writeFileAtomic(out, renderMarkdown(model, scores));
      break;
    case 'html':
      await writeFileAtomic(out, renderHtml(model, { includeScores: scores }));
      break;
    case 'docx':
      await writeFileAtomic(out, await renderDocx(model, scores));
      break;
    case 'epub':
      await writeFileAtomic(out, await renderEpub(model, { identifier: view.manifest().id, includeScores: scores }));
      break;
    case 'pdf': {
      const tmp = tempPathFor(out);
      try {
        await (opts.htmlToPdf ?? chromiumPdf)(renderHtml(model), tmp);
        const h = await fsp.open(tmp, 'r');
        await h.sync();
        await h.close();
        await fsp.rename(tmp, out);
      } finally {
        await fsp.rm(tmp, { force: true });
      }
      await fsyncDir(path.dirname(out));
      break;
    }
  }
  progress(2, total, 'Writing the file');
  const bytes = (await fsp.stat(out)).size;
  progress(total, total, 'Done');
  return { out, bytes };
}
