import { parseArgs } from 'node:util';
import { Dtype, ExecutionProvider, type EngineEvent } from '../../contract/contract.ts';
import { numberFlag, UsageError, type Command } from '../command.ts';


export const generate: Command = {
  name: 'generate',
  summary: 'Generate text with a local ONNX model folder (k candidates in one batch)',
  usage:
    'longhand generate --model <dir> --prompt <text> [--max-tokens N] [--temperature T] [--top-p P] [--top-k K] [--min-p P] [--seed S] [--candidates K] [--stop STR]... [--dtype fp32|fp16|q8|q4|q4f16] [--provider cuda|dml|coreml|webgpu|cpu] [--json]',
  async run(argv, { engine, io }) {
    const { values } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        prompt: { type: 'string' },
        'max-tokens': { type: 'string' },
        temperature: { type: 'string' },
        'top-p': { type: 'string' },
        'top-k': { type: 'string' },
        'min-p': { type: 'string' },
        seed: { type: 'string' },
        candidates: { type: 'string' },
        stop: { type: 'string', multiple: true },
        dtype: { type: 'string' },
        provider: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    });
    if (!values.model) throw new UsageError('--model is required');
    if (values.prompt === undefined) throw new UsageError('--prompt is required (use --prompt "" to start from nothing)');
    const dtype = values.dtype === undefined ? undefined : Dtype.safeParse(values.dtype);
    if (dtype && !dtype.success) throw new UsageError(`--dtype must be one of ${Dtype.options.join(', ')}`);
    const providers = values.provider?.map((p) => {
      const r = ExecutionProvider.safeParse(p);
      if (!r.success) throw new UsageError(`--provider must be one of ${ExecutionProvider.options.join(', ')}`);
      return r.data;
    });
    const candidates = numberFlag(values.candidates, '--candidates', { integer: true }) ?? 1;
    const e = engine();
    const status = await e.request('generator.load', { modelDir: values.model, dtype: dtype?.data, providers });
    if (!values.json && status.fallbackReason) io.err(`(${status.fallbackReason})`);
    const stream = !values.json && candidates === 1;
    const off = e.onEvent((ev: EngineEvent) => {
      if (stream && ev.type === 'generation.tokens' && ev.requestId === 'cli') process.stdout.write(ev.text);
    });
    try {
      const options = Object.fromEntries(
        Object.entries({
          maxTokens: numberFlag(values['max-tokens'], '--max-tokens', { integer: true }),
          temperature: numberFlag(values.temperature, '--temperature'),
          topP: numberFlag(values['top-p'], '--top-p'),
          topK: numberFlag(values['top-k'], '--top-k', { integer: true }),
          minP: numberFlag(values['min-p'], '--min-p'),
          seed: numberFlag(values.seed, '--seed', { integer: true }),
          stop: values.stop,
        }).filter(([, v]) => v !== undefined),
      );
      const r = await e.request('generator.generate', { requestId: 'cli', prompt: values.prompt, candidates, options });
      if (values.json) {
        io.out(JSON.stringify({ model: status.modelName, architecture: status.architecture, ...r }, null, 2));
      } else if (stream) {
        io.out('');
        io.err(`(${r.stats.generatedTokens} tokens, ${r.stats.tokensPerSecond.toFixed(1)} tokens/s on ${r.stats.provider}, first token ${r.stats.timeToFirstTokenMs.toFixed(0)} ms)`);
      } else {
        r.candidates.forEach((c, i) => io.out(`── candidate ${i + 1} (${c.tokens} tokens, ${c.finishReason}, mean logprob ${c.meanLogprob.toFixed(3)})\n${c.text}`));
        io.err(`(${r.stats.generatedTokens} tokens, ${r.stats.tokensPerSecond.toFixed(1)} tokens/s on ${r.stats.provider})`);
      }
      return 0;
    } finally {
      off();
    }
  },
};
