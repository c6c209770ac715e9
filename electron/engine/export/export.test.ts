import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../doctor.ts';
import type { ProjectStore } from '../project/store.ts';
import { tempDir } from '../project/testing.ts';
import { exportFixture, fixtureHeadings, fixtureTexts } from './fixture.ts';
import { exportProject } from './index.ts';

const run = promisify(execFile);
const has = (bin: string) => ['/usr/bin', '/usr/local/bin', '/bin'].some((d) => fs.existsSync(path.join(d, bin)));

/** Debian's epubcheck is a jar linked into /usr/bin (run through binfmt where registered): call java on it directly. */
function epubcheck(args: string[]): [string, string[]] {
  const real = fs.realpathSync('/usr/bin/epubcheck');
  return real.endsWith('.jar') ? ['java', ['-jar', real, ...args]] : [real, args];
}

let store: ProjectStore;
let out: string;
beforeAll(async () => {
  const root = tempDir('lh-export-');
  store = await exportFixture(path.join(root, 'project'));
  out = path.join(root, 'out');
  fs.mkdirSync(out);
});
afterAll(async () => {
  await store.close();
});

function headingsIn(html: string): string[] {
  return [...html.matchAll(/<h([1-6])[^>]*>(.*?)<\/h\1>/g)].map((m) => m[2]!);
}

async function pdfOutline(pdf: string): Promise<string[]> {
  const { stdout } = await run('pdftohtml', ['-xml', '-stdout', '-i', '-q', pdf]);
  return [...stdout.matchAll(/<item[^>]*>([^<]*)<\/item>/g)].map((m) => m[1]!.trim());
}

describe('export', () => {
  it('Markdown: front matter, headings in order, emphasis, lists, quotes, late passages reconciled', async () => {
    const r = await exportProject(store, { format: 'md', out: path.join(out, 'book.md') });
    const md = fs.readFileSync(r.out, 'utf8');
    expect(r.bytes).toBe(Buffer.byteLength(md));
    expect(md).toMatch(/^---\ntitle: "The Keeper’s Map"\nauthor: "A. Writer"\nlang: "en"\n---/);
    expect([...md.matchAll(/^(#+) (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['# The Bottle', '## Low Tide', '# The Crossing', '# Home Again']);
    expect(md).toContain('She was **very** *tired*.');
    expect(md).toContain('- lantern');
    expect(md).toContain('> Keep the light burning.');
    expect(md).toContain('She came home at dusk.');
    expect(md).toContain('\\<script\\>');
  });

  it('HTML: standalone, print stylesheet, headings in order, no script survives', async () => {
    const r = await exportProject(store, { format: 'html', out: path.join(out, 'book.html'), includeScores: true, includePlan: true });
    const html = fs.readFileSync(r.out, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('@media print');
    expect(html).toContain("default-src 'none'");
    expect(headingsIn(html)).toEqual([...fixtureHeadings, 'Appendix: Plan', 'Characters', 'Outline']);
    expect(html).toMatch(/<!-- Longhand passage a1 \(outline point p1, candidate 1\); relevance 0\.80/);
    expect(html).toContain('<strong>very</strong> <em>tired</em>');
  });

  it('EPUB 3 passes epubcheck with no errors', async (ctx) => {
    if (!has('epubcheck')) return ctx.skip('epubcheck is not installed (apt-get install epubcheck)');
    const r = await exportProject(store, { format: 'epub', out: path.join(out, 'book.epub') });
    const bytes = fs.readFileSync(r.out);
    expect(bytes.subarray(30, 58).toString()).toBe('mimetypeapplication/epub+zip');
    const report = path.join(out, 'epubcheck.json');
    const res = await run(...epubcheck([r.out, '--json', report])).catch((e: { stdout: string; stderr: string }) => e);
    const messages = (JSON.parse(fs.readFileSync(report, 'utf8')) as { messages: Array<{ severity: string; message: string }> }).messages;
    const errors = messages.filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL');
    expect(errors, JSON.stringify(errors, null, 1) + String((res as { stderr?: string }).stderr ?? '')).toEqual([]);
    const json = JSON.parse(fs.readFileSync(report, 'utf8')) as { publication: { title: string; language: string; creator: string[]; nSpines: number } };
    expect(json.publication).toMatchObject({ title: 'The Keeper’s Map', language: 'en', creator: ['A. Writer'] });
    expect(json.publication.nSpines).toBe(1 + 3); // title page + three top-level sections
  });

  it('DOCX opens in LibreOffice: text, headings (outline) and comments survive', async (ctx) => {
    if (!has('soffice') || !has('pdftotext')) return ctx.skip('LibreOffice or poppler is not installed (apt-get install libreoffice-writer poppler-utils)');
    const r = await exportProject(store, { format: 'docx', out: path.join(out, 'book.docx'), includeScores: true });
    const profile = tempDir('lh-soffice-');
    await run('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, r.out], { timeout: 110_000 });
    const pdf = path.join(out, 'book.pdf');
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    for (const t of [...fixtureHeadings, ...fixtureTexts, 'The Keeper’s Map', 'A. Writer']) expect(text).toContain(t);
    expect(await pdfOutline(pdf)).toEqual(fixtureHeadings);
    const xml = (await import('jszip')).default;
    const zip = await xml.loadAsync(fs.readFileSync(r.out));
    const documentXml = await zip.file('word/document.xml')!.async('string');
    expect(documentXml.match(/<w:pStyle w:val="Heading\d"\/>/g)).toHaveLength(fixtureHeadings.length);
    expect(await zip.file('word/comments.xml')!.async('string')).toContain('Longhand passage a1');
  });

  it('PDF through headless Chromium: pages, page numbers, every heading', async (ctx) => {
    if (!findChromium()) return ctx.skip('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)');
    if (!has('pdfinfo')) return ctx.skip('poppler is not installed (apt-get install poppler-utils)');
    const r = await exportProject(store, { format: 'pdf', out: path.join(out, 'print.pdf') });
    const { stdout: info } = await run('pdfinfo', [r.out]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThan(1);
    const { stdout: text } = await run('pdftotext', [r.out, '-']);
    for (const h of fixtureHeadings) expect(text).toContain(h);
    expect(text).toMatch(new RegExp(`1 ?/ ?${pages}`));
    expect(text).toContain('<img src=x onerror="alert(1)">'); // shown as the text it is, never as markup
    expect(await pdfOutline(r.out)).toEqual(fixtureHeadings);
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('bad input: unknown format, missing or read-only folder, a folder as --out; no partial file', async () => {
    await expect(exportProject(store, { format: 'rtf', out: path.join(out, 'x.rtf') })).rejects.toMatchObject({ apiError: { code: 'bad_input', field: 'format' } });
    await expect(exportProject(store, { format: 'md', out: path.join(out, 'missing', 'x.md') })).rejects.toMatchObject({ apiError: { code: 'not_found', field: 'out' } });
    await expect(exportProject(store, { format: 'md', out })).rejects.toMatchObject({ apiError: { code: 'bad_input', field: 'out' } });
    const ro = path.join(out, 'readonly');
    fs.mkdirSync(ro, { mode: 0o555 });
    if (process.getuid?.() === 0) {
      // root ignores permission bits; a failing writer proves "no partial file" instead
      const failing = exportProject(store, { format: 'pdf', out: path.join(ro, 'x.pdf'), htmlToPdf: async (_h, tmp) => {
        fs.writeFileSync(tmp, '%PDF-1.7 half');
        throw new Error('printer died');
      } });
      await expect(failing).rejects.toThrow('printer died');
    } else {
      await expect(exportProject(store, { format: 'md', out: path.join(ro, 'x.md') })).rejects.toMatchObject({ apiError: { code: 'io', field: 'out' } });
    }
    expect(fs.readdirSync(ro)).toEqual([]);
    expect(fs.existsSync(path.join(out, 'x.rtf'))).toBe(false);
  });
});
