import type { Command } from '../command.ts';
import { parseScoreArgs, preview, rerankArgs } from './score.ts';

export const rerank: Command = {
  name: 'rerank',
  summary: 'Rerank candidate passages: relevance, coherence, repetition, combined score and the winner',
  usage:
    'longhand rerank --query <text> --passages <file.json|-> [--prefix <text>] [--kind story|report|article] [--model <dir>] [--json]\n' +
    '  passages: a JSON array of strings, or of { "text": …, "meanLogprob": … } (the generator\'s coherence signal)',
  async run(argv, { engine, io }) {
    const flags = await parseScoreArgs(argv, true);
    const r = await engine().request('score.rerank', rerankArgs(flags));
    if (flags.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const f = (x: number) => x.toFixed(3).padStart(8);
    const head = `  #  ${'relev'.padStart(8)}${'coher'.padStart(8)}${'repet'.padStart(8)}${'combined'.padStart(10)}  text`;
    const rows = r.candidates.map((c, i) => {
      const d = r.details[i]!;
      const notes = [...d.repetition.meta.map((m) => `meta "${m}"`), d.repetition.personShift ? `person ${d.repetition.personShift.found}` : ''].filter(Boolean);
      return `${i === r.winner ? '*' : ' '}${String(i).padStart(2)}  ${f(c.scores.relevance)}${f(c.scores.coherence)}${f(c.scores.repetition)}  ${f(c.scores.combined)}  ${preview(c.text, 48)}${notes.length ? `  [${notes.join('; ')}]` : ''}`;
    });
    const w = r.weights;
    io.out([`model ${r.model.dir} (${r.model.kind}, ${r.model.provider}); combined = ${w.relevance}·relevance + ${w.coherence}·coherence − ${w.repetition}·repetition`, head, ...rows, `winner: ${r.winner}`].join('\n'));
    return 0;
  },
};
