/**
 * Document operations on generated passages, run inside `editor.update`: find a section by outline point, append
 * streamed text to a passage, replace a passage's text (accept / swap a candidate), and read provenance.
 */
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $getSelection,
  $getState,
  $isElementNode,
  $isParagraphNode,
  $isRangeSelection,
  $isTextNode,
  $setState,
  type EditorState,
  type LexicalNode,
  type ParagraphNode,
} from 'lexical';
import { $createHeadingNode, $isHeadingNode, type HeadingNode, type HeadingTagType } from '@lexical/rich-text';
import type { PassageProvenance } from '../../../electron/contract/contract.ts';
import { passageState, sectionState } from './docState.ts';

export function $sectionHeading(pointId: string): HeadingNode | null {
  for (const child of $getRoot().getChildren()) {
    if ($isHeadingNode(child) && $getState(child, sectionState) === pointId) return child;
  }
  return null;
}

export function $ensureSection(pointId: string, title: string, depth = 1): HeadingNode {
  const found = $sectionHeading(pointId);
  if (found) return found;
  const tag = `h${Math.min(Math.max(depth + 1, 2), 6)}` as HeadingTagType;
  const heading = $setState($createHeadingNode(tag), sectionState, pointId);
  heading.append($createTextNode(title || ' '));
  $getRoot().append(heading);
  return heading;
}

/** The last node belonging to a section: everything up to the next section heading. */
function $sectionEnd(heading: HeadingNode): LexicalNode {
  let node: LexicalNode = heading;
  for (let next = node.getNextSibling(); next; next = next.getNextSibling()) {
    if ($isHeadingNode(next) && $getState(next, sectionState)) break;
    node = next;
  }
  return node;
}

export function $passageParagraphs(passageId: string): ParagraphNode[] {
  const out: ParagraphNode[] = [];
  for (const child of $getRoot().getChildren()) {
    if ($isParagraphNode(child) && $getState(child, passageState)?.passageId === passageId) out.push(child);
  }
  return out;
}

function $newPassageParagraph(prov: PassageProvenance, text: string): ParagraphNode {
  const p = $setState($createParagraphNode(), passageState, prov);
  if (text) p.append($createTextNode(text));
  return p;
}

/** Appends streamed text to a passage, creating its paragraph (and section heading) on the first fragment. */
export function $appendToPassage(chunk: { passageId: string; pointId: string; text: string }, sectionTitle: string): void {
  const paras = $passageParagraphs(chunk.passageId);
  const prov: PassageProvenance = paras[0] ? ($getState(paras[0], passageState) ?? { passageId: chunk.passageId, pointId: chunk.pointId, candidate: 0 }) : { passageId: chunk.passageId, pointId: chunk.pointId, candidate: 0 };
  let last: ParagraphNode | undefined = paras[paras.length - 1];
  if (!last) {
    const heading = $ensureSection(chunk.pointId, sectionTitle);
    last = $newPassageParagraph(prov, '');
    $sectionEnd(heading).insertAfter(last);
  }
  const pieces = chunk.text.split(/\n+/);
  pieces.forEach((piece, i) => {
    if (i > 0 && last!.getTextContentSize() > 0) {
      const p = $newPassageParagraph(prov, '');
      last!.insertAfter(p);
      last = p;
    }
    if (!piece) return;
    const tail = last!.getLastChild();
    if ($isTextNode(tail) && tail.getFormat() === 0) tail.setTextContent(tail.getTextContent() + piece);
    else last!.append($createTextNode(i > 0 || last!.getTextContentSize() > 0 ? piece : piece.trimStart()));
  });
}

/** Replaces a passage's paragraphs with `text` (paragraphs split on blank lines), carrying `prov`. */
export function $replacePassage(prov: PassageProvenance, text: string, sectionTitle: string, opts: { keepCursor?: boolean } = {}): void {
  const paras = $passageParagraphs(prov.passageId);
  const cursorInside = opts.keepCursor && $provenanceAtSelection()?.passageId === prov.passageId;
  const blocks = text.split(/\n\s*\n|\n/).map((s) => s.trim()).filter(Boolean);
  const fresh = (blocks.length ? blocks : ['']).map((b) => $newPassageParagraph(prov, b));
  if (paras[0]) {
    let anchor: LexicalNode = paras[0];
    for (const p of fresh) {
      anchor.insertAfter(p);
      anchor = p;
    }
    for (const p of paras) p.remove();
    if (cursorInside) fresh[0]!.selectStart();
  } else {
    let anchor: LexicalNode = $sectionEnd($ensureSection(prov.pointId, sectionTitle));
    for (const p of fresh) {
      anchor.insertAfter(p);
      anchor = p;
    }
  }
}

const norm = (t: string) => t.replace(/\s+/g, ' ').trim();

/** Whether the document already shows `text` for this passage (whitespace aside). */
export function $passageShows(passageId: string, text: string): boolean {
  const paras = $passageParagraphs(passageId);
  return paras.length > 0 && norm(paras.map((p) => p.getTextContent()).join(' ')) === norm(text);
}

/** Sets provenance on a passage's paragraphs without touching their text. */
export function $setPassageProvenance(prov: PassageProvenance): void {
  for (const p of $passageParagraphs(prov.passageId)) {
    const old = $getState(p, passageState);
    $setState(p, passageState, old?.edited ? { ...prov, edited: true } : prov);
  }
}

/** Marks a passage as edited by the author (called when its text changes by typing). */
export function $markEdited(passageId: string): void {
  for (const p of $passageParagraphs(passageId)) {
    const prov = $getState(p, passageState);
    if (prov && !prov.edited) $setState(p, passageState, { ...prov, edited: true });
  }
}

/** The provenance of the paragraph holding the selection's anchor, if it is generated text. */
export function $provenanceAtSelection(): PassageProvenance | null {
  const sel = $getSelection();
  if (!$isRangeSelection(sel)) return null;
  let node: LexicalNode | null = sel.anchor.getNode();
  while (node && !($isElementNode(node) && node.getParent() === $getRoot())) node = node.getParent();
  return node ? $getState(node, passageState) : null;
}

export interface PassageMark {
  passageId: string;
  pointId: string;
  key: string;
  /** Characters: a cheap proxy for position and length in the document map. */
  size: number;
  /** Characters before this passage. */
  offset: number;
  prov: PassageProvenance;
}

/** One mark per passage (its first paragraph), in document order, with its size in characters. */
export function collectPassages(state: EditorState): { marks: PassageMark[]; totalSize: number } {
  return state.read(() => {
    const marks: PassageMark[] = [];
    const byId = new Map<string, PassageMark>();
    let totalSize = 0;
    for (const child of $getRoot().getChildren()) {
      const size = $isElementNode(child) ? child.getTextContentSize() : 0;
      const prov = $getState(child, passageState);
      if (prov) {
        const seen = byId.get(prov.passageId);
        if (seen) seen.size += size;
        else {
          const m = { passageId: prov.passageId, pointId: prov.pointId, key: child.getKey(), size, prov, offset: totalSize };
          byId.set(prov.passageId, m);
          marks.push(m);
        }
      }
      totalSize += size;
    }
    return { marks, totalSize };
  });
}

export function $isSectionHeading(node: LexicalNode): boolean {
  return $isHeadingNode(node) && !!$getState(node, sectionState);
}

/** Each passage's text (paragraphs joined by blank lines) and provenance, read from an editor state. */
export function passageTexts(state: EditorState): Map<string, { text: string; prov: PassageProvenance }> {
  return state.read(() => {
    const out = new Map<string, { text: string; prov: PassageProvenance }>();
    for (const child of $getRoot().getChildren()) {
      const prov = $getState(child, passageState);
      if (!prov) continue;
      const seen = out.get(prov.passageId);
      if (seen) seen.text += '\n\n' + child.getTextContent();
      else out.set(prov.passageId, { text: child.getTextContent(), prov });
    }
    return out;
  });
}

export const sameText = (a: string, b: string): boolean => norm(a) === norm(b);
