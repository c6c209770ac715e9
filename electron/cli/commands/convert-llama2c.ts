import { convertLlama2c as convert } from '../../../models/builder/llama2c.ts';
import { UsageError, type Command } from '../command.ts';

export const convertLlama2c: Command = {
  name: 'convert-llama2c',
  summary: 'Convert a llama2.c checkpoint + tokenizer into a model folder (ONNX with KV cache + tokenizer.json)',
  usage: 'longhand convert-llama2c <checkpoint.bin> <tokenizer.bin> <outdir>',
  async run(argv, { io }) {
    const [checkpoint, tokenizer, out, ...extra] = argv;
    if (!checkpoint || !tokenizer || !out || extra.length) throw new UsageError('expected exactly three arguments');
    const { config } = await convert(checkpoint, tokenizer, out);
    io.out(
      `Wrote ${out}: llama, ${config.layers} layers, dim ${config.dim}, ${config.heads} heads (${config.kvHeads} kv), vocab ${config.vocabSize}, context ${config.seqLen}.\n` +
        `Try: longhand generate --model ${out} --prompt "Once upon a time"`,
    );
    return 0;
  },
};
