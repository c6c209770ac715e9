import { afterAll, describe, expect, it } from 'vitest';
import { countWords } from '../pipeline/length.ts';
import { newProject, storyPlan } from '../pipeline/testing.ts';
import type { ProjectStore } from '../project/store.ts';
import { embeddedRelevanceModelDir } from '../scoring/embedded.ts';
import { Relevance } from '../scoring/relevance.ts';
import { chunkText } from './chunk.ts';
import { KnowledgeBase } from './knowledge-base.ts';

const stores: ProjectStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

describe('reference chunks', () => {
  it('packs paragraphs up to the size and cuts long ones at sentences, CJK by characters', () => {
    const chunks = chunkText(['Short one.', 'Another short one.', 'Sentence number one is here. '.repeat(40)].join('\n\n'), 50);
    expect(chunks[0]).toBe('Short one.\nAnother short one.');
    for (const c of chunks) expect(countWords(c)).toBeLessThanOrEqual(50);
    expect(chunks.join(' ')).toContain('Sentence number one is here.');
    const cjk = chunkText('她走回家了'.repeat(100), 60);
    expect(cjk.length).toBeGreaterThan(5);
    for (const c of cjk) expect(countWords(c)).toBeLessThanOrEqual(60);
    expect(chunkText('  \n\n ')).toEqual([]);
  });
});

describe('knowledge base (embedded relevance model, real project)', () => {
  it('retrieves the chunk relevant to an outline point, characters named in it first, and persists the index', async () => {
    const store = await newProject();
    stores.push(store);
    const rel = await Relevance.load(embeddedRelevanceModelDir());
    if (rel.model.kind !== 'bi-encoder') throw new Error('the embedded relevance model should be a bi-encoder');
    const kb = new KnowledgeBase(store, rel.model.model);
    await kb.add('taxes.md', 'Income tax is paid every April. The tax office sends a form to every household.\n\nBusinesses pay value added tax on sales.');
    await kb.add('dogs.md', 'A lost dog is often hungry and scared. Give a lost dog water and food, and look for its owner.\n\nDogs wag their tails when they are happy.');
    const found = await kb.retrieve('Tom feeds the hungry lost dog some food', storyPlan().characters, 3);
    expect(found[0]).toMatchObject({ source: 'character', text: expect.stringContaining('Tom') });
    expect(found[1]!.source).toBe('dogs.md');
    expect(found[1]!.text).toContain('lost dog');
    const again = new KnowledgeBase(store, rel.model.model);
    expect(again.list().map((r) => r.name)).toEqual(['taxes.md', 'dogs.md']);
    expect(await again.remove('taxes.md')).toBe(true);
    expect(await again.remove('taxes.md')).toBe(false);
    await expect(again.add('empty.md', '   ')).rejects.toThrow(/has no text/);
    // another embedding model: the stored vectors are rebuilt with it, once
    const other = new KnowledgeBase(store, rel.model.model, 'another-model');
    expect((await other.retrieve('a lost dog', [], 1))[0]!.source).toBe('dogs.md');
    expect(store.readJson<{ model: string }>('knowledge')!.model).toBe('another-model');
  });
});
