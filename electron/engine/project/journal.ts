import fsp from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { DocumentJson, Flag, Passage, PipelineState, Plan } from '../../contract/contract.ts';

/**
 * The append-only journal: one JSON entry per line, prefixed with its CRC-32 (`<8 hex> <json>\n`), fsynced before a
 * save resolves. Every entry *sets* a value (never increments), so replaying an entry twice is harmless.
 */
export const JournalOp = z.discriminatedUnion('op', [
  z.object({ op: z.literal('plan'), plan: Plan }),
  z.object({ op: z.literal('passage'), passage: Passage }),
  z.object({ op: z.literal('flag'), flag: Flag }),
  z.object({ op: z.literal('document'), document: DocumentJson }),
  z.object({ op: z.literal('pipeline'), state: PipelineState }),
  /** A snapshot restore: the whole manuscript at once. */
  z.object({
    op: z.literal('replace'),
    plan: Plan,
    document: DocumentJson.nullable(),
    passages: z.array(Passage),
    flags: z.array(Flag),
    pipeline: PipelineState,
  }),
]);
export type JournalOp = z.infer<typeof JournalOp>;

export type JournalEntry = JournalOp & { seq: number; at: string };
const JournalEntry = z.intersection(JournalOp, z.object({ seq: z.number().int().nonnegative(), at: z.string() }));

export function encodeEntry(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

export interface JournalRead {
  entries: JournalEntry[];
  /** Bytes of the valid prefix (where appending may continue). */
  validBytes: number;
  /** An incomplete last line: what a kill in the middle of an append leaves. Normal, nothing accepted is lost. */
  tornTail: boolean;
  /** Complete lines that fail their checksum or schema: real damage. */
  badLines: number[];
}

export function parseJournal(text: string): JournalRead {
  const out: JournalRead = { entries: [], validBytes: 0, tornTail: false, badLines: [] };
  let offset = 0;
  let bytes = 0;
  let lineNo = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    lineNo++;
    if (nl < 0) {
      out.tornTail = true;
      break;
    }
    const line = text.slice(offset, nl);
    const entry = decodeLine(line);
    const isLast = nl === text.length - 1;
    bytes += Buffer.byteLength(line) + 1;
    if (entry) {
      out.entries.push(entry);
      if (out.badLines.length === 0) out.validBytes = bytes;
    } else if (isLast && out.badLines.length === 0) {
      out.tornTail = true; // a last line cut inside a partially flushed page
    } else {
      out.badLines.push(lineNo);
    }
    offset = nl + 1;
  }
  return out;
}

function decodeLine(line: string): JournalEntry | null {
  const m = /^([0-9a-f]{8}) (.*)$/s.exec(line);
  if (!m) return null;
  if (crc32(m[2]!) !== parseInt(m[1]!, 16)) return null;
  try {
    const parsed = JournalEntry.safeParse(JSON.parse(m[2]!));
    return parsed.success ? (parsed.data as JournalEntry) : null;
  } catch {
    return null;
  }
}

export async function readJournal(file: string): Promise<JournalRead> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], validBytes: 0, tornTail: false, badLines: [] };
    throw err;
  }
  return parseJournal(text);
}

/** The open journal of a writable project: appends are durable (fdatasync) when `append` resolves. */
export class JournalWriter {
  private constructor(
    private readonly handle: fsp.FileHandle,
    public bytes: number,
    public count: number,
  ) {}

  static async open(file: string, count: number): Promise<JournalWriter> {
    const handle = await fsp.open(file, 'a');
    const { size } = await handle.stat();
    return new JournalWriter(handle, size, count);
  }

  async append(entry: JournalEntry): Promise<void> {
    const line = encodeEntry(entry);
    try {
      await this.handle.appendFile(line, 'utf8');
      await this.handle.datasync();
    } catch (err) {
      // A failed append (disk full…) must not leave a partial line for the next append to follow.
      await this.handle.truncate(this.bytes).catch(() => undefined);
      throw err;
    }
    this.bytes += Buffer.byteLength(line);
    this.count++;
  }

  /** Empties the journal after a checkpoint has made its entries redundant. */
  async truncate(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.sync();
    this.bytes = 0;
    this.count = 0;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
