import { DocStateKey, PassageProvenance, type DocumentJson } from '../../../contract/contract.ts';

/** The simple document model exports render: headings, paragraphs with inline emphasis, lists, quotes. */
export interface Inline {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
}
export type HeadingLevel = 1 | 2 | 3 | 4 | 5 | 6;
export interface ListItem {
  inlines: Inline[];
  /** 0 for a top-level item, 1 for an item of a list nested in it… */
  depth: number;
}
export type Block =
  | { type: 'heading'; level: HeadingLevel; text: string; sectionId?: string }
  | { type: 'paragraph'; inlines: Inline[]; provenance?: PassageProvenance }
  | { type: 'quote'; inlines: Inline[] }
  | { type: 'list'; ordered: boolean; items: ListItem[] };

export interface DocModel {
  title: string;
  author: string;
  language: string;
  blocks: Block[];
}

type LexNode = Record<string, unknown>;

// Lexical's text format bits.
const BOLD = 1;
const ITALIC = 2;
const STRIKE = 4;
const UNDERLINE = 8;
const CODE = 16;

function children(node: LexNode): LexNode[] {
  const c = node.children;
  return Array.isArray(c) ? c.filter((x): x is LexNode => typeof x === 'object' && x !== null) : [];
}

function state(node: LexNode): Record<string, unknown> {
  const s = node.$;
  return typeof s === 'object' && s !== null ? (s as Record<string, unknown>) : {};
}

/** The provenance a generated paragraph carries, when it is well-formed. */
export function provenanceOf(node: LexNode): PassageProvenance | undefined {
  const parsed = PassageProvenance.safeParse(state(node)[DocStateKey.passage]);
  return parsed.success ? parsed.data : undefined;
}

export function sectionOf(node: LexNode): string | undefined {
  const s = state(node)[DocStateKey.section];
  return typeof s === 'string' ? s : undefined;
}

function inlines(node: LexNode): Inline[] {
  const out: Inline[] = [];
  const walk = (n: LexNode) => {
    switch (n.type) {
      case 'text': {
        const text = typeof n.text === 'string' ? n.text : '';
        const f = typeof n.format === 'number' ? n.format : 0;
        if (text) out.push(compact({ text, bold: !!(f & BOLD), italic: !!(f & ITALIC), strike: !!(f & STRIKE), underline: !!(f & UNDERLINE), code: !!(f & CODE) }));
        return;
      }
      case 'linebreak':
        out.push({ text: '\n' });
        return;
      case 'tab':
        out.push({ text: '\t' });
        return;
      default:
        for (const c of children(n)) walk(c);
    }
  };
  for (const c of children(node)) walk(c);
  return out;
}

function compact(i: Inline): Inline {
  const out: Inline = { text: i.text };
  if (i.bold) out.bold = true;
  if (i.italic) out.italic = true;
  if (i.underline) out.underline = true;
  if (i.strike) out.strike = true;
  if (i.code) out.code = true;
  return out;
}

export function plainText(parts: Inline[]): string {
  return parts.map((p) => p.text).join('');
}

function listItems(list: LexNode, depth: number, out: ListItem[]): void {
  for (const item of children(list)) {
    const nested = children(item).filter((c) => c.type === 'list');
    const own = { ...item, children: children(item).filter((c) => c.type !== 'list') };
    const parts = inlines(own);
    if (parts.length > 0 || nested.length === 0) out.push({ inlines: parts, depth });
    for (const n of nested) listItems(n, depth + 1, out);
  }
}

/** Lexical JSON → the simple model. Unknown block nodes become paragraphs of their text; nothing is dropped silently. */
export function lexicalToBlocks(doc: DocumentJson): Block[] {
  const blocks: Block[] = [];
  for (const node of children(doc.root as LexNode)) {
    switch (node.type) {
      case 'heading': {
        const tag = typeof node.tag === 'string' ? node.tag : 'h1';
        const level = Math.min(6, Math.max(1, Number(tag.slice(1)) || 1)) as HeadingLevel;
        const sectionId = sectionOf(node);
        blocks.push({ type: 'heading', level, text: plainText(inlines(node)).trim(), ...(sectionId ? { sectionId } : {}) });
        break;
      }
      case 'quote':
        blocks.push({ type: 'quote', inlines: inlines(node) });
        break;
      case 'list': {
        const items: ListItem[] = [];
        listItems(node, 0, items);
        blocks.push({ type: 'list', ordered: node.listType === 'number' || node.tag === 'ol', items });
        break;
      }
      default: {
        const parts = inlines(node);
        if (node.type !== 'paragraph' && parts.length === 0) break;
        const provenance = provenanceOf(node);
        blocks.push({ type: 'paragraph', inlines: parts, ...(provenance ? { provenance } : {}) });
      }
    }
  }
  return blocks;
}

export function blockText(b: Block): string {
  switch (b.type) {
    case 'heading':
      return b.text;
    case 'list':
      return b.items.map((i) => plainText(i.inlines)).join('\n');
    default:
      return plainText(b.inlines);
  }
}

export function modelText(blocks: Block[]): string {
  return blocks.map(blockText).join('\n\n');
}

export { countWords } from '../../../shared/words.ts';
