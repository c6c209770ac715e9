import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeEntry, parseJournal } from './journal.ts';

const entry = (seq: number, step = 'drafting' as const) => ({ op: 'pipeline' as const, state: { step, done: seq, total: 9 }, seq, at: 'é-time' });

describe('journal', () => {
  it('parses checksummed lines and reports the valid prefix in bytes (multi-byte text included)', () => {
    const text = encodeEntry(entry(1)) + encodeEntry(entry(2));
    const r = parseJournal(text);
    expect(r.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(r.validBytes).toBe(Buffer.byteLength(text));
    expect(r.tornTail).toBe(false);
  });

  it('treats an incomplete or corrupt last line as a torn tail, a corrupt middle line as damage', () => {
    const a = encodeEntry(entry(1));
    const b = encodeEntry(entry(2));
    expect(parseJournal(a + b.slice(0, 20))).toMatchObject({ tornTail: true, badLines: [], validBytes: Buffer.byteLength(a) });
    const flipped = b.replace('"done":2', '"done":3');
    expect(parseJournal(a + flipped)).toMatchObject({ tornTail: true, badLines: [] });
    const r = parseJournal(a + flipped + encodeEntry(entry(3)));
    expect(r.badLines).toEqual([2]);
    expect(r.entries.map((e) => e.seq)).toEqual([1, 3]);
    expect(r.validBytes).toBe(Buffer.byteLength(a));
  });

  it('rejects a line whose JSON passes the checksum but not the schema', () => {
    const json = JSON.stringify({ op: 'passage', passage: { id: 1 }, seq: 1, at: 'x' });
    const line = `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    expect(parseJournal(line + encodeEntry(entry(2))).badLines).toEqual([1]);
  });
});
