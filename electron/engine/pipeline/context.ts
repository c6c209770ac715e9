import type { Passage, Plan } from '../../contract/contract.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { entityText } from '../knowledge/knowledge-base.ts';
import { leaves, type Leaf } from './outline.ts';
import { defaultTemplate, parseTemplate, templateFile, type Template } from './templates.ts';
import type { PipelineStore } from './store-port.ts';

/** The project's own template when it has one (validated), else the kind's default. */
export function loadTemplate(store: PipelineStore, kind: Plan['kind']): Template {
  const raw = store.readJson<unknown>(templateFile(kind));
  return raw === null ? defaultTemplate(kind) : parseTemplate(raw, `data/${templateFile(kind)}.json`);
}

/** Accepted passages in document order: by leaf, then by index. */
export function orderedPassages(plan: Plan, passages: Passage[]): Passage[] {
  const order = new Map(leaves(plan.outline).map((l) => [l.point.id, l.index]));
  return passages
    .filter((p) => order.has(p.pointId))
    .sort((a, b) => order.get(a.pointId)! - order.get(b.pointId)! || a.index - b.index);
}

export const joinPassages = (ps: Passage[]) => ps.map((p) => p.text.trim()).filter(Boolean).join('\n\n');

/** The text before a slot (leaf, index): what the user sees above it, edits included. */
export function textBefore(plan: Plan, passages: Passage[], leaf: Leaf, index: number): string {
  const ls = leaves(plan.outline);
  const leafIndex = new Map(ls.map((l) => [l.point.id, l.index]));
  return joinPassages(
    orderedPassages(plan, passages).filter((p) => {
      const li = leafIndex.get(p.pointId)!;
      return li < leaf.index || (li === leaf.index && p.index < index);
    }),
  );
}

/** Relevant characters, facts and reference chunks for a leaf (retrieved by similarity when a knowledge base is at hand). */
export async function relevantContext(plan: Plan, leaf: Leaf, knowledge: KnowledgeBase | null): Promise<string[]> {
  const query = [...leaf.ancestors.map((a) => a.text), leaf.point.text].join(' ');
  const facts = plan.keyFacts;
  if (knowledge) {
    const found = await knowledge.retrieve(query, plan.characters, 6);
    return [...found.map((r) => r.text), ...facts];
  }
  const named = plan.characters.filter((c) => query.toLowerCase().includes(c.name.toLowerCase()));
  return [...named.map(entityText), ...facts];
}
