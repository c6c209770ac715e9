import { z } from 'zod';
import { DocKind, Plan, type Entity, type OutlinePoint } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { childId } from './outline.ts';

/** Plan parts that can be generated (or regenerated) on their own. */
export const PlanPart = z.enum(['title', 'setting', 'purpose', 'characters', 'keyFacts', 'outline']);
export type PlanPart = z.infer<typeof PlanPart>;

const MAX_PREMISE = 200_000;

interface FilePoint {
  id?: string;
  text: string;
  children?: Array<string | FilePoint>;
  targetWords?: number;
}
const FilePoint: z.ZodType<FilePoint> = z.lazy(() =>
  z.strictObject({
    id: z.string().min(1).max(64).optional(),
    text: z.string().trim().min(1, 'an outline point needs text').max(4000),
    children: z.array(z.union([z.string().trim().min(1, 'an outline point needs text').max(4000), FilePoint])).max(200).optional(),
    targetWords: z.number().int().positive().optional(),
  }),
);
const FileEntity = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(8000).optional(),
  facts: z.array(z.string().max(2000)).max(500).optional(),
});

/** The plan file format (docs/plan-format.md). Unknown fields are refused so typos don't pass silently. */
export const PlanFile = z.strictObject({
  kind: DocKind,
  premise: z.string().trim().min(1, 'the premise (or brief) is empty').max(MAX_PREMISE, `at most ${MAX_PREMISE} characters`).optional(),
  brief: z.string().trim().min(1).max(MAX_PREMISE, `at most ${MAX_PREMISE} characters`).optional(),
  title: z.string().max(500).optional(),
  setting: z.string().max(8000).optional(),
  audience: z.string().max(8000).optional(),
  purpose: z.string().max(8000).optional(),
  characters: z.array(FileEntity).max(200).optional(),
  entities: z.array(FileEntity).max(200).optional(),
  keyFacts: z.array(z.string().trim().min(1).max(2000)).max(500).optional(),
  outline: z.array(z.union([z.string().trim().min(1, 'an outline point needs text').max(4000), FilePoint])).max(500),
  targetWords: z.number().int().positive().max(1_000_000).optional(),
  author: z.string().max(200).optional(),
  language: z.string().max(20).optional(),
});
export type PlanFile = z.infer<typeof PlanFile>;

export interface ImportedPlan {
  plan: Plan;
  /** Parts the file left out, to be generated. */
  missing: PlanPart[];
}

/** Parses a plan file's text; every problem is a `bad_input` error naming the field and the file. */
export function importPlan(text: string, file = 'plan.json'): ImportedPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    fail('bad_input', `${file} is not valid JSON: ${(err as Error).message}`, { file, hint: 'See docs/plan-format.md for the format.' });
  }
  return planFromObject(raw, file);
}

export function planFromObject(raw: unknown, file = 'plan.json'): ImportedPlan {
  const parsed = PlanFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(plan)';
    const missing = issue.code === 'invalid_type' && issue.message.includes('undefined');
    fail('bad_input', `${file}: ${field}: ${missing ? 'missing' : issue.message}`, {
      file,
      field,
      hint: 'A plan needs at least "kind", "premise" (or "brief") and a non-empty "outline"; see docs/plan-format.md.',
    });
  }
  const f = parsed.data;
  const premise = f.premise ?? f.brief;
  if (!premise) fail('bad_input', `${file}: premise: missing`, { file, field: 'premise', hint: 'Give the premise (story) or "brief" (report, article).' });
  if (f.outline.length === 0) {
    fail('bad_input', `${file}: outline: has no points`, { file, field: 'outline', hint: 'List at least one outline point, e.g. "outline": ["The storm hits the village"].' });
  }
  const entities = f.kind === 'story' ? (f.characters ?? f.entities) : (f.entities ?? f.characters);
  const plan = Plan.parse({
    kind: f.kind,
    premise,
    title: f.title ?? '',
    setting: f.setting ?? f.audience ?? '',
    purpose: f.purpose ?? '',
    characters: (entities ?? []).map((e, i): Entity => ({ id: `e${i + 1}`, name: e.name, description: e.description ?? '', facts: e.facts ?? [] })),
    keyFacts: f.keyFacts ?? [],
    outline: toPoints(f.outline, null),
    targetWords: f.targetWords,
    author: f.author ?? '',
    language: f.language ?? 'en',
  });
  const missing: PlanPart[] = [];
  if (!f.title) missing.push('title');
  if (f.kind === 'story') {
    if (!f.setting) missing.push('setting');
    if (!entities) missing.push('characters');
  } else {
    if (!f.setting && !f.audience) missing.push('setting');
    if (!f.purpose) missing.push('purpose');
    if (!f.keyFacts) missing.push('keyFacts');
  }
  return { plan, missing };
}

function toPoints(items: Array<string | FilePoint>, parentId: string | null, used = new Set<string>()): OutlinePoint[] {
  return items.map((item, i) => {
    const p: FilePoint = typeof item === 'string' ? { text: item } : item;
    let id = p.id ?? childId(parentId, i);
    if (used.has(id)) id = `${id}-${used.size}`;
    used.add(id);
    const point: OutlinePoint = { id, text: p.text, children: toPoints(p.children ?? [], id, used) };
    if (p.targetWords !== undefined) point.targetWords = p.targetWords;
    return point;
  });
}

/** The plan as a plan file (what `importPlan` reads back to the same plan). */
export function exportPlan(plan: Plan): PlanFile {
  const story = plan.kind === 'story';
  const points = (ps: OutlinePoint[]): FilePoint[] =>
    ps.map((p) => ({ id: p.id, text: p.text, ...(p.children.length ? { children: points(p.children) } : {}), ...(p.targetWords ? { targetWords: p.targetWords } : {}) }));
  const entities = plan.characters.map((c) => ({ name: c.name, description: c.description, facts: c.facts }));
  return {
    kind: plan.kind,
    ...(story ? { premise: plan.premise } : { brief: plan.premise }),
    title: plan.title,
    ...(story ? { setting: plan.setting, characters: entities } : { audience: plan.setting, purpose: plan.purpose, entities, keyFacts: plan.keyFacts }),
    outline: points(plan.outline),
    ...(plan.targetWords ? { targetWords: plan.targetWords } : {}),
    ...(plan.author ? { author: plan.author } : {}),
    language: plan.language,
  };
}
