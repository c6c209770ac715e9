import type { OutlinePoint, PassageProvenance, Plan } from '../../contract/contract.ts';
import type { Block, ListItem } from '../project/document/index.ts';

/** The plan as an appendix: premise, setting, characters, outline (nested list). */
export function planAppendix(plan: Plan): Block[] {
  const blocks: Block[] = [{ type: 'heading', level: 1, text: 'Appendix: Plan' }];
  const para = (label: string, text: string) => {
    if (text.trim()) blocks.push({ type: 'paragraph', inlines: [{ text: `${label}: `, bold: true }, { text: text.trim() }] });
  };
  para(plan.kind === 'story' ? 'Premise' : 'Brief', plan.premise);
  para(plan.kind === 'story' ? 'Setting' : 'Audience', plan.setting);
  para('Purpose', plan.purpose);
  if (plan.characters.length) {
    blocks.push({ type: 'heading', level: 2, text: plan.kind === 'story' ? 'Characters' : 'Key entities' });
    blocks.push({
      type: 'list',
      ordered: false,
      items: plan.characters.map((c) => ({ inlines: [{ text: c.name, bold: true }, { text: c.description ? ` — ${c.description}` : '' }], depth: 0 })),
    });
  }
  if (plan.outline.length) {
    blocks.push({ type: 'heading', level: 2, text: 'Outline' });
    const items: ListItem[] = [];
    const walk = (points: OutlinePoint[], depth: number) => {
      for (const p of points) {
        items.push({ inlines: [{ text: p.text }], depth });
        walk(p.children, depth + 1);
      }
    };
    walk(plan.outline, 0);
    blocks.push({ type: 'list', ordered: true, items });
  }
  return blocks;
}

/** One line describing a generated paragraph's provenance and scores (DOCX comments, HTML/Markdown comments). */
export function provenanceNote(p: PassageProvenance): string {
  const s = p.scores;
  const scores = s ? `; relevance ${s.relevance.toFixed(2)}, coherence ${s.coherence.toFixed(2)}, repetition ${s.repetition.toFixed(2)}, combined ${s.combined.toFixed(2)}` : '';
  return `Longhand passage ${p.passageId} (outline point ${p.pointId}, candidate ${p.candidate + 1}${p.edited ? ', edited' : ''})${scores}`;
}

/** Splits blocks into chapters at the top-most heading level present (content before the first heading is its own chapter). */
export function chapters(blocks: Block[]): Array<{ title: string; blocks: Block[] }> {
  const levels = blocks.filter((b) => b.type === 'heading').map((b) => (b.type === 'heading' ? b.level : 6));
  const top = levels.length ? Math.min(...levels) : 0;
  const out: Array<{ title: string; blocks: Block[] }> = [];
  for (const b of blocks) {
    if (b.type === 'heading' && b.level === top) out.push({ title: b.text, blocks: [b] });
    else if (out.length === 0) out.push({ title: '', blocks: [b] });
    else out[out.length - 1]!.blocks.push(b);
  }
  return out;
}
