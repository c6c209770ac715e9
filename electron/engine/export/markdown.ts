import type { Block, DocModel, Inline } from '../project/document/index.ts';
import { provenanceNote } from './model-extras.ts';

/** Escapes Markdown syntax characters so text renders as typed. */
function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]<>#|~])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}

function inlineMd(parts: Inline[]): string {
  return parts
    .map((p) => {
      if (p.code) return '`' + p.text.replace(/`/g, 'ˋ') + '`';
      const lead = /^\s*/.exec(p.text)![0];
      const trail = /\s*$/.exec(p.text)![0];
      let core = escapeMd(p.text.trim()).replace(/\n/g, '  \n');
      if (!core) return p.text;
      if (p.strike) core = `~~${core}~~`;
      if (p.italic) core = `*${core}*`;
      if (p.bold) core = `**${core}**`;
      return lead + core + trail;
    })
    .join('');
}

function blockMd(b: Block, includeScores: boolean): string {
  switch (b.type) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeMd(b.text || 'Untitled section')}`;
    case 'quote':
      return inlineMd(b.inlines)
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'list':
      return b.items.map((it, i) => `${'   '.repeat(it.depth)}${b.ordered ? `${i + 1}.` : '-'} ${inlineMd(it.inlines)}`).join('\n');
    case 'paragraph': {
      const note = includeScores && b.provenance ? `<!-- ${provenanceNote(b.provenance).replace(/-{2,}/g, '–')} -->\n` : '';
      return note + inlineMd(b.inlines);
    }
  }
}

/** Markdown with a YAML front matter (title, author, lang) — Pandoc-friendly. */
export function renderMarkdown(model: DocModel, includeScores = false): string {
  const yaml = (s: string) => JSON.stringify(s);
  const front = ['---', `title: ${yaml(model.title || 'Untitled')}`, ...(model.author ? [`author: ${yaml(model.author)}`] : []), `lang: ${yaml(model.language || 'en')}`, '---'];
  return [front.join('\n'), ...model.blocks.map((b) => blockMd(b, includeScores)).filter((t) => t.trim() !== '')].join('\n\n') + '\n';
}
