import { DocStateKey, type DocumentJson, type OutlinePoint, type Passage, type PassageProvenance, type Plan } from '../../../contract/contract.ts';

/** Builders of Lexical JSON nodes in the shape Lexical 0.5x serializes (with Longhand's NodeState under "$"). */
export function textNode(text: string, format = 0): Record<string, unknown> {
  return { type: 'text', version: 1, text, format, detail: 0, mode: 'normal', style: '' };
}

function element(type: string, kids: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type, version: 1, children: kids, direction: kids.length ? 'ltr' : null, format: '', indent: 0, ...extra };
}

export function headingNode(text: string, depth: number, sectionId?: string): Record<string, unknown> {
  return element('heading', text ? [textNode(text)] : [], {
    tag: `h${Math.min(6, depth + 1)}`,
    ...(sectionId ? { $: { [DocStateKey.section]: sectionId } } : {}),
  });
}

export function paragraphNode(text: string, provenance?: PassageProvenance): Record<string, unknown> {
  return element('paragraph', text ? [textNode(text)] : [], {
    textFormat: 0,
    textStyle: '',
    ...(provenance ? { $: { [DocStateKey.passage]: provenance } } : {}),
  });
}

export function provenanceFor(p: Passage): PassageProvenance {
  const scores = p.candidates[p.chosen]?.scores;
  return { passageId: p.id, pointId: p.pointId, candidate: p.chosen, ...(scores ? { scores } : {}), ...(p.editedByUser ? { edited: true } : {}) };
}

/** A passage's paragraphs (split on blank lines), each carrying the passage's provenance. */
export function passageNodes(p: Passage): Array<Record<string, unknown>> {
  const paras = p.text.split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean);
  const prov = provenanceFor(p);
  return (paras.length ? paras : ['']).map((t) => paragraphNode(t, prov));
}

export function rootOf(kids: Array<Record<string, unknown>>): DocumentJson {
  return { root: element('root', kids.length ? kids : [paragraphNode('')]) };
}

/** Outline points in document order with their depth. */
export function flattenOutline(points: OutlinePoint[], depth = 0, out: Array<{ point: OutlinePoint; depth: number }> = []) {
  for (const point of points) {
    out.push({ point, depth });
    flattenOutline(point.children, depth + 1, out);
  }
  return out;
}

/** Lexical JSON for a plan and its accepted passages: a heading per outline point (h1 for the top level), passages in order under it. */
export function buildDocumentJson(plan: Plan, passages: Passage[]): DocumentJson {
  const byPoint = new Map<string, Passage[]>();
  for (const p of passages) byPoint.set(p.pointId, [...(byPoint.get(p.pointId) ?? []), p]);
  const kids: Array<Record<string, unknown>> = [];
  const outline = flattenOutline(plan.outline);
  for (const { point, depth } of outline) {
    kids.push(headingNode(point.text, depth, point.id));
    for (const p of (byPoint.get(point.id) ?? []).sort((a, b) => a.index - b.index)) kids.push(...passageNodes(p));
    byPoint.delete(point.id);
  }
  for (const rest of byPoint.values()) for (const p of rest.sort((a, b) => a.index - b.index)) kids.push(...passageNodes(p));
  return rootOf(kids);
}
