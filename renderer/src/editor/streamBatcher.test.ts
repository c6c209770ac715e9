import { describe, expect, it } from 'vitest';
import { TokenBatcher, type TokenChunk } from './streamBatcher.ts';

function manualFrames() {
  const queue: Array<() => void> = [];
  return {
    schedule: (cb: () => void) => {
      queue.push(cb);
      return () => {
        const i = queue.indexOf(cb);
        if (i >= 0) queue.splice(i, 1);
      };
    },
    frame: () => queue.splice(0).forEach((cb) => cb()),
    scheduled: () => queue.length,
  };
}

describe('TokenBatcher', () => {
  it('delivers all tokens pushed between two frames as one flush, merged per passage', () => {
    const frames = manualFrames();
    const flushes: TokenChunk[][] = [];
    const b = new TokenBatcher((c) => flushes.push(c), frames.schedule);
    for (const t of ['Once', ' upon', ' a', ' time']) b.push({ passageId: 'p1', pointId: 'o1', text: t });
    expect(frames.scheduled()).toBe(1);
    expect(flushes).toHaveLength(0);
    frames.frame();
    expect(flushes).toEqual([[{ passageId: 'p1', pointId: 'o1', text: 'Once upon a time' }]]);
    b.push({ passageId: 'p1', pointId: 'o1', text: ',' });
    b.push({ passageId: 'p2', pointId: 'o2', text: 'Next' });
    b.push({ passageId: 'p1', pointId: 'o1', text: ' again' });
    frames.frame();
    expect(flushes[1]).toEqual([
      { passageId: 'p1', pointId: 'o1', text: ',' },
      { passageId: 'p2', pointId: 'o2', text: 'Next' },
      { passageId: 'p1', pointId: 'o1', text: ' again' },
    ]);
  });

  it('drain flushes immediately and cancels the scheduled frame; an empty frame flushes nothing', () => {
    const frames = manualFrames();
    const flushes: TokenChunk[][] = [];
    const b = new TokenBatcher((c) => flushes.push(c), frames.schedule);
    b.push({ passageId: 'p1', pointId: 'o1', text: 'a' });
    b.drain();
    expect(flushes).toHaveLength(1);
    expect(frames.scheduled()).toBe(0);
    frames.frame();
    expect(flushes).toHaveLength(1);
    b.push({ passageId: 'p1', pointId: 'o1', text: 'b' });
    b.dispose();
    frames.frame();
    expect(flushes).toHaveLength(1);
  });
});
