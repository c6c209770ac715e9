import { z } from 'zod';
import type { DocKind } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import story from './templates/story.json' with { type: 'json' };
import report from './templates/report.json' with { type: 'json' };
import article from './templates/article.json' with { type: 'json' };

/** Prompt templates are data: one file per document kind, `{{slot}}` placeholders, editable per project. */
export const Template = z.object({
  kind: z.enum(['story', 'report', 'article']),
  version: z.literal(1),
  labels: z.object({ premise: z.string(), setting: z.string(), characters: z.string() }),
  plan: z.object({
    title: z.string(),
    setting: z.string(),
    characterName: z.string(),
    characterDescription: z.string(),
    outline: z.string(),
    expand: z.string(),
    purpose: z.string().optional(),
    keyFacts: z.string().optional(),
  }),
  draft: z.object({
    prompt: z.string(),
    contextHeading: z.string(),
    earlierHeading: z.string(),
    previousHeading: z.string(),
    ending: z.string(),
    start: z.string(),
    /** Appended to the prompt (and kept in the passage) when every candidate ended at once: small models end stories eagerly. */
    retryCue: z.string().default(''),
    /** Share of the prompt budget each part may use at most; the text so far gets the rest. */
    shares: z.object({ premise: z.number().min(0).max(1), context: z.number().min(0).max(1), earlier: z.number().min(0).max(1), previous: z.number().min(0).max(1), point: z.number().min(0).max(1) }),
  }),
  revise: z.object({ judge: z.string(), extract: z.string().default(''), fixNote: z.string() }),
  transform: z.object({ rewrite: z.string(), expand: z.string(), shorten: z.string(), continue: z.string() }),
});
export type Template = z.infer<typeof Template>;

const defaults: Record<DocKind, unknown> = { story, report, article };

export function defaultTemplate(kind: DocKind): Template {
  return Template.parse(defaults[kind]);
}

/** File name of a project's own copy of a template (read/written through the project store). */
export const templateFile = (kind: DocKind) => `template-${kind}`;

/** Validates a user-edited template; a broken one is a clear error naming the field, never a silent fallback. */
export function parseTemplate(raw: unknown, file: string): Template {
  const r = Template.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.');
    fail('bad_input', `${file}: ${field}: ${issue.message}`, { file, field, hint: `Fix the field, or delete ${file} to use the default template.` });
  }
  return r.data;
}

/** Replaces `{{slot}}`s. A line whose slots were all empty and that holds nothing else is dropped. */
export function fill(template: string, slots: Record<string, string>): string {
  const lines = template.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    const names = [...line.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
    const filled = line.replace(/\{\{(\w+)\}\}/g, (_, name: string) => slots[name] ?? '');
    if (names.length > 0 && filled.trim() === '' && line.replace(/\{\{\w+\}\}/g, '').trim() === '') continue;
    out.push(filled);
  }
  return out.join('\n');
}
