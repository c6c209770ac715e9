import { z } from 'zod';
import type { Entity } from '../../contract/contract.ts';
import { fail } from '../errors.ts';
import type { Embedder } from '../services/types.ts';
import type { PipelineStore } from '../pipeline/store-port.ts';
import { chunkText } from './chunk.ts';

const Chunk = z.object({ text: z.string(), vector: z.string() });
const Reference = z.object({ name: z.string(), bytes: z.number().int(), chunks: z.array(Chunk) });
/** `model` names the embedding model the vectors came from; another model means embedding them again. */
export const KnowledgeIndex = z.object({ version: z.literal(1), model: z.string().default(''), references: z.array(Reference) });
export type KnowledgeIndex = z.infer<typeof KnowledgeIndex>;
export const knowledgeFile = 'knowledge';

const MAX_REFERENCE_BYTES = 20_000_000;

export interface Retrieved {
  text: string;
  score: number;
  /** Reference name, or "character" for plan entities. */
  source: string;
}

const encode = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
const decode = (s: string) => {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) s += a[i]! * b[i]!;
  return s;
}

/** Reference documents of a project: chunked, embedded once when added, retrieved by similarity to an outline point. */
export class KnowledgeBase {
  private index: KnowledgeIndex;
  constructor(
    private readonly store: PipelineStore,
    private readonly embedder: Embedder,
    /** Identifies the embedding model (its folder). */
    private readonly model = '',
  ) {
    const raw = store.readJson<unknown>(knowledgeFile);
    const parsed = raw === null ? null : KnowledgeIndex.safeParse(raw);
    this.index = parsed?.success ? parsed.data : { version: 1, model, references: [] };
  }

  /** Vectors from another embedding model are meaningless here: embed every chunk again (once) and save. */
  private async current(): Promise<KnowledgeIndex> {
    if (this.index.model === this.model) return this.index;
    const references = [];
    for (const r of this.index.references) {
      const vectors = await this.embedBatched(r.chunks.map((c) => c.text));
      references.push({ ...r, chunks: r.chunks.map((c, i) => ({ text: c.text, vector: encode(vectors[i]!) })) });
    }
    const next = { version: 1 as const, model: this.model, references };
    await this.store.writeJson(knowledgeFile, next);
    this.index = next;
    return next;
  }

  list(): Array<{ name: string; chunks: number; bytes: number }> {
    return this.index.references.map((r) => ({ name: r.name, chunks: r.chunks.length, bytes: r.bytes }));
  }

  async add(name: string, text: string): Promise<{ name: string; chunks: number }> {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > MAX_REFERENCE_BYTES) fail('limit', `Reference "${name}" is ${bytes} bytes; the limit is ${MAX_REFERENCE_BYTES}.`, { field: 'text', hint: 'Split the document into smaller files.' });
    const texts = chunkText(text);
    if (texts.length === 0) fail('bad_input', `Reference "${name}" has no text.`, { field: 'text', hint: 'Attach a text or Markdown file with some content.' });
    const vectors = await this.embedBatched(texts);
    const ref = { name, bytes, chunks: texts.map((t, i) => ({ text: t, vector: encode(vectors[i]!) })) };
    const index = await this.current();
    const next = { version: 1 as const, model: this.model, references: [...index.references.filter((r) => r.name !== name), ref] };
    await this.store.writeJson(knowledgeFile, next);
    this.index = next;
    return { name, chunks: texts.length };
  }

  async remove(name: string): Promise<boolean> {
    if (!this.index.references.some((r) => r.name === name)) return false;
    const next = { ...this.index, references: this.index.references.filter((r) => r.name !== name) };
    await this.store.writeJson(knowledgeFile, next);
    this.index = next;
    return true;
  }

  /**
   * The most relevant chunks and entities for `query`. Entities named in the query always come first (Re3 puts
   * the characters of the outline point in its context); the rest are ranked by cosine similarity.
   */
  async retrieve(query: string, entities: Entity[], k = 6): Promise<Retrieved[]> {
    const named: Retrieved[] = [];
    const others: Array<{ text: string; source: string; vector?: Float32Array }> = [];
    for (const e of entities) {
      const text = entityText(e);
      if (new RegExp(`\\b${e.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(query)) named.push({ text, score: 1, source: 'character' });
      else others.push({ text, source: 'character' });
    }
    for (const r of (await this.current()).references) for (const c of r.chunks) others.push({ text: c.text, source: r.name, vector: decode(c.vector) });
    if (others.length === 0 || named.length >= k) return named.slice(0, k);
    const need = others.filter((o) => !o.vector);
    const [q, ...vs] = await this.embedBatched([query, ...need.map((o) => o.text)]);
    need.forEach((o, i) => (o.vector = vs[i]));
    const ranked = others.map((o) => ({ text: o.text, source: o.source, score: dot(q!, o.vector!) })).sort((a, b) => b.score - a.score);
    return [...named, ...ranked.slice(0, k - named.length)];
  }

  private async embedBatched(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 64) out.push(...(await this.embedder.embed(texts.slice(i, i + 64))));
    return out;
  }
}

export function entityText(e: Entity): string {
  return [`${e.name}: ${e.description}`.trim(), ...e.facts].filter(Boolean).join(' ');
}
