import { WriteOptions, type Plan } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import { loadTemplate } from './context.ts';
import { readRunState } from './loop.ts';
import { importPlan, PlanPart } from './plan-file.ts';
import { leaves } from './outline.ts';
import { Planner } from './planner.ts';
import type { PipelineService } from './service.ts';

/** Plan parts written by the generator: the missing ones, one part again, or an outline point expanded. */
export class PlanOps {
  constructor(private readonly svc: PipelineService) {}

  async generate(dir: string, part: 'all' | PlanPart, endpoint?: string): Promise<Plan> {
    const store = await this.svc.store(dir);
    const plan = store.plan();
    if (!plan.premise.trim()) fail('bad_input', 'The project has no premise (or brief) to plan from.', { field: 'premise', hint: 'Write the premise first.' });
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    const generator = await this.svc.generator(endpoint ?? options.endpoint, dir);
    const planner = new Planner(generator, loadTemplate(store, plan.kind), { seed: options.seed });
    const parts = part === 'all' ? missingParts(plan) : [PlanPart.parse(part)];
    let next = plan;
    for (const p of parts) {
      next = await planner.part(next, p);
      await store.savePlan(next);
      this.svc.emit({ type: 'plan.part', dir: store.dir, part: p, plan: next });
    }
    return next;
  }

  /** Replaces the plan with a plan file's; refused while Write runs, or when written passages would lose their point. */
  async import(dir: string, text: string, file = 'plan.json'): Promise<{ plan: Plan; missing: PlanPart[] }> {
    this.svc.assertIdle(dir);
    const store = await this.svc.store(dir);
    const { plan } = importPlan(text, file);
    const ids = new Set(leaves(plan.outline).map((l) => l.point.id));
    const orphans = store.passages().filter((p) => !ids.has(p.pointId));
    if (orphans.length > 0) {
      fail('conflict', `${orphans.length} written passage(s) belong to outline points this plan lacks (e.g. ${orphans[0]!.pointId}).`, {
        file,
        field: 'outline',
        hint: 'Keep those points (with their ids) in the plan file, or start a new project for the new plan.',
      });
    }
    await store.savePlan(plan);
    this.svc.emit({ type: 'plan.part', dir: store.dir, part: 'all', plan });
    return { plan, missing: missingParts(plan) };
  }

  async expand(dir: string, pointId: string): Promise<Plan> {
    this.svc.assertIdle(dir);
    const store = await this.svc.store(dir);
    const options = readRunState(store)?.options ?? WriteOptions.parse({});
    const plan = store.plan();
    if (store.passages().some((p) => p.pointId === pointId)) {
      fail('conflict', `Outline point ${pointId} already has passages; expanding it would orphan them.`, { field: 'pointId', hint: 'Expand points that have not been written yet.' });
    }
    const next = await new Planner(await this.svc.generator(options.endpoint, dir), loadTemplate(store, plan.kind), { seed: options.seed }).expand(plan, pointId);
    await store.savePlan(next);
    this.svc.emit({ type: 'plan.part', dir: store.dir, part: 'outline', plan: next });
    return next;
  }
}

export function missingParts(plan: Plan): PlanPart[] {
  const parts: PlanPart[] = [];
  if (!plan.title) parts.push('title');
  if (!plan.setting) parts.push('setting');
  if (plan.kind !== 'story' && !plan.purpose) parts.push('purpose');
  if (plan.kind === 'story' && plan.characters.length === 0) parts.push('characters');
  if (plan.kind !== 'story' && plan.keyFacts.length === 0) parts.push('keyFacts');
  if (plan.outline.length === 0) parts.push('outline');
  return parts;
}
