import type { Entity, Plan, SamplingOptions } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { TextGenerator } from '../services/types.ts';
import { fitHead } from './budget.ts';
import { cleanName, filterSamples, firstSentence, leastRepetitive, parseOutline } from './filter.ts';
import { findPoint, withChildren } from './outline.ts';
import type { PlanPart } from './plan-file.ts';
import { fill, type Template } from './templates.ts';

export interface PlannerOptions {
  samples?: number;
  characters?: number;
  outlinePoints?: number;
  subPoints?: number;
  seed?: number;
  signal?: AbortSignal;
  onPart?: (part: PlanPart, plan: Plan) => void;
}

const sampling = (maxTokens: number, seed?: number): SamplingOptions => ({
  maxTokens,
  temperature: 0.9,
  topK: 0,
  topP: 0.95,
  minP: 0,
  repetitionPenalty: 1.1,
  frequencyPenalty: 0,
  stop: [],
  ...(seed !== undefined ? { seed } : {}),
});

/**
 * Writes plan parts with the generator as Re3 does: several samples per part, the bad ones filtered out
 * (empty, duplicate, placeholder, repeating the premise), the outline accepted only with exactly the requested
 * number of distinct points. A part the model can't produce after a few rounds is a clear error naming it.
 */
export class Planner {
  private round = 0;
  constructor(
    private readonly generator: TextGenerator,
    private readonly template: Template,
    private readonly o: PlannerOptions = {},
  ) {}

  async generate(plan: Plan, parts: PlanPart[]): Promise<Plan> {
    let p = plan;
    for (const part of parts) {
      p = await this.part(p, part);
      this.o.onPart?.(part, p);
    }
    return p;
  }

  async part(plan: Plan, part: PlanPart): Promise<Plan> {
    switch (part) {
      case 'title':
        return { ...plan, title: await this.one(plan, 'title', this.template.plan.title, 16, (s) => firstLine(s).replace(/^["“]|["”]$/g, '')) };
      case 'setting':
        return { ...plan, setting: await this.one(plan, 'setting', this.template.plan.setting, 40, firstSentence) };
      case 'purpose':
        return { ...plan, purpose: await this.one(plan, 'purpose', this.template.plan.purpose ?? this.template.plan.setting, 40, firstSentence) };
      case 'keyFacts': {
        const text = await this.samples(plan, this.template.plan.keyFacts ?? this.template.plan.outline, 120, {});
        const facts = text.flatMap((t) => ('1.' + t).split('\n').map((l) => l.replace(/^\s*\d+[.)]\s*/, '').trim())).filter(Boolean);
        return { ...plan, keyFacts: filterSamples(facts, { premise: plan.premise, banPlaceholders: false, minWords: 3 }).slice(0, 5) };
      }
      case 'characters':
        return { ...plan, characters: await this.characters(plan) };
      case 'outline': {
        const count = this.o.outlinePoints ?? 3;
        const items = await this.list(plan, this.template.plan.outline, count, {});
        if (!items) fail('bad_input', `The model could not write a usable ${count}-point outline (every sample had the wrong number of points, repeated ones, or empty ones).`, { field: 'outline', hint: 'Write the outline yourself (or import a plan file), or use a larger model.' });
        return { ...plan, outline: items.map((text, i) => ({ id: String(i + 1), text, children: [] })) };
      }
    }
  }

  /** DOC-style expansion: the point broken into sub-points, accepted under the same rules as the outline. */
  async expand(plan: Plan, pointId: string): Promise<Plan> {
    const found = findPoint(plan.outline, pointId);
    if (!found) fail('not_found', `No outline point ${JSON.stringify(pointId)}.`, { field: 'pointId', hint: 'Use an id from the plan (e.g. "2" or "2.1").' });
    const count = this.o.subPoints ?? 3;
    const items = await this.list(plan, this.template.plan.expand, count, { point: found.point.text, pointId });
    if (!items) fail('bad_input', `The model could not break point ${pointId} into ${count} distinct sub-points.`, { field: 'pointId', hint: 'Write the sub-points yourself, or use a larger model.' });
    return { ...plan, outline: withChildren(plan.outline, pointId, items) };
  }

  private slots(plan: Plan, extra: Record<string, string>): Record<string, string> {
    const outline = (ps: Plan['outline'], indent = ''): string => ps.map((p) => `${indent}${p.id}. ${p.text}\n${outline(p.children, indent + '  ')}`).join('');
    return {
      premise: plan.premise.slice(0, 4000),
      setting: plan.setting,
      purpose: plan.purpose,
      characters: plan.characters.map((c) => `${c.name}: ${c.description}`).join('\n'),
      facts: plan.keyFacts.map((f) => `- ${f}`).join('\n'),
      outline: outline(plan.outline),
      count: String(this.o.outlinePoints ?? 3),
      ...extra,
    };
  }

  private async samples(plan: Plan, template: string, maxTokens: number, extra: Record<string, string>): Promise<string[]> {
    const slots = this.slots(plan, extra);
    const budget = this.generator.contextLength() - maxTokens;
    const count = (t: string) => this.generator.countTokens(t);
    let prompt = fill(template, slots);
    // Small contexts: halve the longest background slot until the prompt fits (the asked-for part stays whole).
    for (let i = 0; i < 16 && count(prompt) > budget; i++) {
      const longest = (['premise', 'outline', 'characters', 'facts', 'setting', 'purpose'] as const).reduce((a, b) => (slots[b]!.length > slots[a]!.length ? b : a));
      if (!slots[longest]) break;
      slots[longest] = fitHead(slots[longest]!, Math.floor(count(slots[longest]!) / 2), count);
      prompt = fill(template, slots);
    }
    if (count(prompt) > budget) {
      fail('limit', `The plan prompt is longer than the model's context (${this.generator.contextLength()} tokens).`, { field: 'premise', hint: 'Shorten the premise, or use a model with a longer context.' });
    }
    const seed = this.o.seed === undefined ? undefined : this.o.seed + 1000 * this.round++;
    const { candidates } = await this.generator.generate({ prompt, candidates: this.o.samples ?? 4, sampling: sampling(maxTokens, seed), signal: this.o.signal });
    return candidates.map((c) => c.text);
  }

  private async one(plan: Plan, what: string, template: string, maxTokens: number, clean: (s: string) => string): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const kept = filterSamples((await this.samples(plan, template, maxTokens, {})).map(clean), { premise: plan.premise });
      if (kept[0]) return kept[0];
    }
    fail('bad_input', `The model gave no usable ${what} in 3 rounds of samples (all empty, placeholders or repeating the premise).`, { field: what, hint: `Write the ${what} yourself, or use a larger model.` });
  }

  private async list(plan: Plan, template: string, count: number, extra: Record<string, string>): Promise<string[] | null> {
    for (let attempt = 0; attempt < 4; attempt++) {
      for (const s of await this.samples(plan, template, Math.min(40 * count, 400, Math.floor(this.generator.contextLength() / 2)), { ...extra, count: String(count) })) {
        const items = parseOutline('1.' + s, count, plan.premise);
        if (items) return items;
      }
    }
    return null;
  }

  private async characters(plan: Plan): Promise<Entity[]> {
    const want = this.o.characters ?? 3;
    const out: Entity[] = [...plan.characters];
    for (let tries = 0; out.length < want && tries < want * 3; tries++) {
      const names = (await this.samples({ ...plan, characters: out }, this.template.plan.characterName, 8, {})).map((s) => cleanName(s) ?? '');
      const name = filterSamples(names, { existing: out.map((c) => c.name), maxWords: 3 })[0];
      if (!name) continue;
      const portraits = (await this.samples(plan, this.template.plan.characterDescription, 40, { name })).map(firstSentence);
      const description = leastRepetitive(filterSamples(portraits, { premise: plan.premise, banPlaceholders: false })) ?? '';
      out.push({ id: `e${out.length + 1}`, name, description: description ? `${name} is ${description}` : '', facts: [] });
    }
    if (out.length === 0) fail('bad_input', 'The model gave no usable character names (all placeholders or empty).', { field: 'characters', hint: 'Add the characters yourself, or use a larger model.' });
    return out;
  }
}

const firstLine = (s: string) => s.trim().split('\n')[0]!.trim();
