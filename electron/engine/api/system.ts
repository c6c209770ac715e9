import type { Handlers } from '../engine.ts';
import { doctorReport } from '../doctor.ts';
import { version } from '../version.ts';

export const systemHandlers: Pick<Handlers, 'system.health' | 'system.doctor'> = {
  'system.health': async (_args, ctx) => ({
    ok: true,
    version,
    uptimeMs: Date.now() - ctx.engine.startedAt,
    host: ctx.engine.host,
    generator: await ctx.engine.call('generator.status', {}).then((r) => (r.ok ? (r.result as never) : { loaded: false })),
  }),
  'system.doctor': async (_args, ctx) => doctorReport(ctx.paths),
};
