import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appRoot } from '../../engine/paths.ts';
import { main } from '../main.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-score-cli-'));
const home = path.join(tmp, 'home');
process.env.LONGHAND_HOME = home;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function file(name: string, content: string | Buffer): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

const QUERY = 'Mara relights the lighthouse lamp as the storm rises.';
const PASSAGES = [
  'The central bank raised interest rates again and the markets fell.',
  'She climbed the tower, trimmed the wick and relit the great lamp while the storm rose over the sea.',
  'Chapter 2\nSummary: the lamp. She climbed the tower. She climbed the tower. She climbed the tower.',
];

describe('longhand score / rerank', () => {
  it('score --json prints one relevance per passage, in input order', async () => {
    const r = await cli(['score', '--query', QUERY, '--passages', file('p.json', JSON.stringify(PASSAGES)), '--json']);
    expect(r.code).toBe(0);
    const scores = JSON.parse(r.stdout) as number[];
    expect(scores).toHaveLength(3);
    expect(scores[1]).toBeGreaterThan(scores[0]!);
    const reversed = JSON.parse((await cli(['score', '--query', QUERY, '--passages', file('r.json', JSON.stringify([...PASSAGES].reverse())), '--json'])).stdout) as number[];
    expect(reversed.reverse().map((x) => x.toFixed(6))).toEqual(scores.map((x) => x.toFixed(6)));
  });

  it('rerank --json gives the full breakdown and the winner; meta text and loops are penalized', async () => {
    const input = PASSAGES.map((text, i) => ({ text, meanLogprob: [-2, -2.5, -1][i] }));
    const r = await cli(['rerank', '--query', QUERY, '--passages', file('o.json', JSON.stringify(input)), '--prefix', 'Mara kept the light alone.', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { winner: number; candidates: Array<{ scores: Record<string, number> }>; details: Array<{ coherenceSource: string; repetition: { meta: string[] } }> };
    expect(out.winner).toBe(1);
    expect(out.details[0]!.coherenceSource).toBe('logprob');
    expect(out.candidates[2]!.scores.coherence).toBe(-1);
    expect(out.details[2]!.repetition.meta).toEqual(expect.arrayContaining(['Summary:']));
    const table = await cli(['rerank', '--query', QUERY, '--passages', file('p2.json', JSON.stringify(PASSAGES))]);
    expect(table.stdout).toMatch(/winner: 1/);
  });

  it('reads passages from stdin with - (the real binary)', async () => {
    const child = spawn(process.execPath, [path.join(appRoot, 'bin', 'longhand.js'), 'score', '--query', QUERY, '--passages', '-', '--json'], {
      env: { ...process.env, LONGHAND_HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.end(JSON.stringify(PASSAGES));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(3);
  });

  it('answers bad input with a clear error and exit code 1, never a crash', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['latin1.json', Buffer.from([0x5b, 0x22, 0x63, 0x61, 0x66, 0xe9, 0x22, 0x5d]), /not valid UTF-8 \(first bad byte at offset 5\)/],
      ['empty.json', '[]', /passages list is empty/],
      ['blank.json', '["fine", "  "]', /Passage 1 is empty/],
      ['object.json', '{"a": 1}', /must hold a JSON array/],
      ['number.json', '["x", 3]', /Passage 1 is not a string/],
      ['broken.json', '["x"', /not valid JSON/],
    ];
    for (const [name, content, message] of cases) {
      const r = await cli(['score', '--query', QUERY, '--passages', file(name, content)]);
      expect(r.code, name).toBe(1);
      expect(r.stderr, name).toMatch(message);
    }
    const missing = await cli(['score', '--query', QUERY, '--passages', path.join(tmp, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read the passages file/);
    const noModel = await cli(['score', '--query', QUERY, '--passages', file('ok.json', '["x"]'), '--model', tmp]);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/config\.json/);
    expect((await cli(['score', '--passages', 'x'])).code).toBe(2);
    expect((await cli(['rerank', '--query', 'q', '--passages', 'x', '--kind', 'poem'])).code).toBe(2);
  });

  it('scores a 1 MB passage', async () => {
    const big = 'She relit the lamp in the storm. '.repeat(31_000);
    const r = await cli(['score', '--query', QUERY, '--passages', file('big.json', JSON.stringify([big, PASSAGES[0]])), '--json']);
    expect(r.code).toBe(0);
    const [a, b] = JSON.parse(r.stdout) as number[];
    expect(a).toBeGreaterThan(b!);
  });
});
