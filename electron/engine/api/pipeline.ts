import type { Handlers } from '../engine.ts';
import { exportPlan } from '../pipeline/plan-file.ts';

type PipelineRequests = Extract<keyof Handlers, `plan.${string}` | `write.${string}` | `passage.${string}` | `selection.${string}` | `flag.${string}` | `reference.${string}`>;

export const pipelineHandlers: Pick<Handlers, PipelineRequests> = {
  'plan.generate': (a, ctx) => ctx.services.pipeline.plans.generate(a.dir, a.part),
  'plan.expand': (a, ctx) => ctx.services.pipeline.plans.expand(a.dir, a.pointId),
  'plan.import': (a, ctx) => ctx.services.pipeline.plans.import(a.dir, a.text, a.file),
  'plan.export': async (a, ctx) => ({ text: JSON.stringify(exportPlan((await ctx.services.pipeline.store(a.dir)).plan()), null, 2) + '\n' }),
  'write.start': (a, ctx) => ctx.services.pipeline.start(a.dir, a.options),
  'write.pause': (a, ctx) => ctx.services.pipeline.pause(a.dir),
  'write.resume': (a, ctx) => ctx.services.pipeline.resume(a.dir),
  'write.stop': (a, ctx) => ctx.services.pipeline.stop(a.dir),
  'write.skip': (a, ctx) => ctx.services.pipeline.skip(a.dir, a.pointId, a.undo),
  'passage.choose': (a, ctx) => ctx.services.pipeline.passages.choose(a.dir, a.passageId, a.candidate),
  'passage.regenerate': (a, ctx) => ctx.services.pipeline.passages.regenerate(a.dir, a.passageId),
  'passage.edit': (a, ctx) => ctx.services.pipeline.passages.edit(a.dir, a.passageId, a.text),
  'selection.transform': (a, ctx) => ctx.services.pipeline.passages.transform(a.dir, a.action, a.text, a.before, a.candidates),
  'flag.resolve': (a, ctx) => ctx.services.pipeline.passages.resolveFlag(a.dir, a.flagId, a.action),
  'reference.add': (a, ctx) => ctx.services.pipeline.addReference(a.dir, a.name, a.text),
  'reference.remove': async (a, ctx) => ({ removed: await ctx.services.pipeline.removeReference(a.dir, a.name) }),
  'reference.list': (a, ctx) => ctx.services.pipeline.listReferences(a.dir),
};
