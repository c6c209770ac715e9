import type { Handlers } from '../engine.ts';
import { SamplingOptions } from '../../contract/contract.ts';

type GeneratorRequests = 'generator.status' | 'generator.load' | 'generator.unload' | 'generator.generate' | 'generator.cancel';

export const generatorHandlers: Pick<Handlers, GeneratorRequests> = {
  'generator.status': async (_args, ctx) => ctx.services.generator.status(),
  'generator.load': async (args, ctx) => ctx.services.generator.load(args.modelDir, { dtype: args.dtype, providers: args.providers }),
  'generator.unload': async (_args, ctx) => ctx.services.generator.unload(),
  'generator.generate': async (args, ctx) =>
    ctx.services.generator.generate(args.requestId, args.prompt, args.candidates, SamplingOptions.parse(args.options)),
  'generator.cancel': async (args, ctx) => ({ cancelled: ctx.services.generator.cancel(args.requestId) }),
};
