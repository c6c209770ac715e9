import type { DocumentJson, Passage, Plan } from '../../../contract/contract.ts';
import { buildDocumentJson, flattenOutline, headingNode, passageNodes } from './build.ts';
import { provenanceOf, sectionOf } from './model.ts';

type LexNode = Record<string, unknown>;

/**
 * The document the person sees, plus every accepted passage it does not contain yet (matched by passageId): each is
 * inserted at the end of its section (before the next heading); a section missing from the document gets its heading
 * appended. The document's own text (typed or edited) always wins over the passage store.
 */
export function reconcileDocument(doc: DocumentJson | null, plan: Plan, passages: Passage[]): DocumentJson {
  if (!doc) return buildDocumentJson(plan, passages);
  const kids: LexNode[] = Array.isArray(doc.root.children) ? [...(doc.root.children as LexNode[])] : [];
  const present = new Set<string>();
  for (const node of kids) {
    const prov = typeof node === 'object' && node ? provenanceOf(node) : undefined;
    if (prov) present.add(prov.passageId);
  }
  const missing = passages.filter((p) => !present.has(p.id));
  if (missing.length === 0) return doc;
  const order = flattenOutline(plan.outline);
  const rank = new Map(order.map((o, i) => [o.point.id, i]));
  missing.sort((a, b) => (rank.get(a.pointId) ?? 1e9) - (rank.get(b.pointId) ?? 1e9) || a.index - b.index);
  for (const p of missing) {
    const h = kids.findIndex((n) => n.type === 'heading' && sectionOf(n) === p.pointId);
    if (h >= 0) {
      let end = h + 1;
      while (end < kids.length && kids[end]!.type !== 'heading') end++;
      kids.splice(end, 0, ...passageNodes(p));
      continue;
    }
    const point = order.find((o) => o.point.id === p.pointId);
    if (point) kids.push(headingNode(point.point.text, point.depth, point.point.id));
    kids.push(...passageNodes(p));
  }
  return { ...doc, root: { ...doc.root, children: kids } };
}
