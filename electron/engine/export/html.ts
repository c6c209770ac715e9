import type { Block, DocModel, Inline, ListItem } from '../project/document/index.ts';
import { provenanceNote } from './model-extras.ts';

/**
 * HTML from the document model. Every piece of text is escaped (we generate all markup ourselves), so nothing a model
 * or a person typed can become a tag: no script, handler or link survives. The page also carries a CSP that forbids scripts.
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text for inside `<!-- -->` (no "--", no ">"). */
function commentText(s: string): string {
  return s.replace(/-{2,}/g, '–').replace(/>/g, '›');
}

export interface HtmlOptions {
  /** XHTML (EPUB): self-closing void elements. */
  xhtml?: boolean;
  includeScores?: boolean;
}

export function inlineHtml(parts: Inline[], o: HtmlOptions = {}): string {
  return parts
    .map((p) => {
      let h = escapeHtml(p.text).replace(/\n/g, o.xhtml ? '<br/>' : '<br>');
      if (p.code) h = `<code>${h}</code>`;
      if (p.strike) h = `<s>${h}</s>`;
      if (p.underline) h = `<u>${h}</u>`;
      if (p.italic) h = `<em>${h}</em>`;
      if (p.bold) h = `<strong>${h}</strong>`;
      return h;
    })
    .join('');
}

function listHtml(items: ListItem[], ordered: boolean, o: HtmlOptions): string {
  const tag = ordered ? 'ol' : 'ul';
  let html = '';
  let i = 0;
  const level = (depth: number): string => {
    let out = `<${tag}>`;
    while (i < items.length && items[i]!.depth >= depth) {
      const item = items[i]!;
      if (item.depth > depth) {
        out += `<li>${level(depth + 1)}</li>`; // a nested list without a parent item
        continue;
      }
      i++;
      out += `<li>${inlineHtml(item.inlines, o)}`;
      if (i < items.length && items[i]!.depth > depth) out += level(depth + 1);
      out += '</li>';
    }
    return out + `</${tag}>`;
  };
  while (i < items.length) html += level(0);
  return html;
}

export function blockHtml(b: Block, o: HtmlOptions = {}, id?: string): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level}${id ? ` id="${id}"` : ''}>${escapeHtml(b.text || 'Untitled section')}</h${b.level}>`;
    case 'quote':
      return `<blockquote><p>${inlineHtml(b.inlines, o)}</p></blockquote>`;
    case 'list':
      return listHtml(b.items, b.ordered, o);
    case 'paragraph': {
      const note = o.includeScores && b.provenance ? `<!-- ${commentText(provenanceNote(b.provenance))} -->` : '';
      return `${note}<p>${inlineHtml(b.inlines, o)}</p>`;
    }
  }
}

export const printCss = `
@page { size: A4; margin: 22mm 20mm 24mm; }
html { font-family: Georgia, 'Times New Roman', 'Noto Serif', serif; font-size: 12pt; line-height: 1.55; color: #111; background: #fff; }
body { max-width: 40em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4, h5, h6 { font-family: 'Helvetica Neue', Arial, 'Noto Sans', sans-serif; line-height: 1.25; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 1.8em; margin-top: 2.2em; }
h2 { font-size: 1.4em; margin-top: 1.8em; }
h3 { font-size: 1.15em; }
p { margin: 0 0 0.8em; orphans: 3; widows: 3; text-align: justify; hyphens: auto; }
blockquote { margin: 1em 2em; font-style: italic; }
.title-page { text-align: center; margin: 30vh 0 4em; }
.title-page .title { font-size: 2.4em; font-weight: bold; margin-bottom: 0.4em; }
.title-page .author { font-size: 1.2em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  .title-page { page-break-after: always; break-after: page; margin-top: 35%; }
  h1 { page-break-before: always; break-before: page; margin-top: 0; }
  a { color: inherit; text-decoration: none; }
}
`.trim();

/** A standalone HTML page: title page, the document, a print stylesheet; no scripts (CSP forbids them too). */
export function renderHtml(model: DocModel, o: HtmlOptions = {}): string {
  const lang = escapeHtml(model.language || 'en');
  const title = escapeHtml(model.title || 'Untitled');
  const body = model.blocks.map((b) => blockHtml(b, o)).join('\n');
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Longhand">
${model.author ? `<meta name="author" content="${escapeHtml(model.author)}">\n` : ''}<title>${title}</title>
<style>
${printCss}
</style>
</head>
<body>
<header class="title-page"><p class="title">${title}</p>${model.author ? `<p class="author">${escapeHtml(model.author)}</p>` : ''}</header>
<main>
${body}
</main>
</body>
</html>
`;
}
