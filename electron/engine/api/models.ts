import type { Engine, HandlerContext, Handlers } from '../engine.ts';
import { ModelManager } from '../models/manager.ts';

type ModelRequests = Extract<keyof Handlers, `models.${string}`>;

const managers = new WeakMap<Engine, ModelManager>();

/** One model manager per engine (pulls in flight must be visible to models.cancel). */
function manager(ctx: HandlerContext): ModelManager {
  let m = managers.get(ctx.engine);
  if (!m) {
    const engine = ctx.engine;
    m = new ModelManager(ctx.paths, ctx.emit, {
      // A new generator choice takes effect at once when a generator is loaded; otherwise at the next load.
      onRoleChange: async (role, model, removed) => {
        if (role !== 'generator') return;
        const status = await engine.request('generator.status', {});
        if (!status.loaded) return;
        if (model && status.modelDir !== model.dir) await engine.request('generator.load', { modelDir: model.dir, dtype: model.dtype });
        if (!model && removed && status.modelDir === removed.dir) await engine.request('generator.unload', {});
      },
    });
    const created = m;
    ctx.services.onDispose(() => created.dispose());
    managers.set(engine, m);
  }
  return m;
}

export const modelHandlers: Pick<Handlers, ModelRequests> = {
  'models.catalog': async (_args, ctx) => manager(ctx).catalog(),
  'models.list': async (args, ctx) => manager(ctx).list(args.project),
  'models.pull': async (args, ctx) => manager(ctx).pull(args),
  'models.cancel': async (args, ctx) => ({ cancelled: await manager(ctx).cancel(args.idOrRepo) }),
  'models.import': async (args, ctx) => manager(ctx).import(args),
  'models.remove': async (args, ctx) => ({ removed: await manager(ctx).remove(args.id) }),
  'models.use': async (args, ctx) => manager(ctx).use(args.role, args.id, args.project),
  'models.hardware': async (_args, ctx) => manager(ctx).hardware(),
};
