import type { Handlers } from '../engine.ts';
import { pending } from './pending.ts';

type GeneratorRequests = 'generator.status' | 'generator.load' | 'generator.unload' | 'generator.generate' | 'generator.cancel';

export const generatorHandlers: Pick<Handlers, GeneratorRequests> = {
  ...pending(['generator.load', 'generator.unload', 'generator.generate', 'generator.cancel'], 'the ONNX generator'),
  'generator.status': async () => ({ loaded: false }),
};
