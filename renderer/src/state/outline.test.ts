import { describe, expect, it } from 'vitest';
import type { OutlinePoint } from '../../../electron/contract/contract.ts';
import { addPoint, countPoints, findPoint, indentPoint, movePoint, movePointBefore, outdentPoint, removePoint, updatePoint } from './outline.ts';

const p = (id: string, children: OutlinePoint[] = []): OutlinePoint => ({ id, text: id.toUpperCase(), children });
const ids = (t: OutlinePoint[]): unknown => t.map((x) => (x.children.length ? [x.id, ids(x.children)] : x.id));

describe('outline edits', () => {
  const tree = [p('a', [p('a1'), p('a2')]), p('b'), p('c')];
  it('adds after a sibling and inside a parent', () => {
    const r = addPoint(tree, 'a', 'new', 'a1');
    expect(ids(r.tree)).toEqual([['a', ['a1', r.id, 'a2']], 'b', 'c']);
    expect(findPoint(r.tree, r.id)?.depth).toBe(1);
    expect(ids(tree)).toEqual([['a', ['a1', 'a2']], 'b', 'c']);
  });
  it('edits, removes (with children) and counts', () => {
    expect(findPoint(updatePoint(tree, 'a2', { text: 'changed' }), 'a2')?.point.text).toBe('changed');
    expect(ids(removePoint(tree, 'a'))).toEqual(['b', 'c']);
    expect(countPoints(tree)).toBe(5);
  });
  it('moves among siblings, stopping at the ends', () => {
    expect(ids(movePoint(tree, 'b', -1))).toEqual(['b', ['a', ['a1', 'a2']], 'c']);
    expect(ids(movePoint(tree, 'a2', -1))).toEqual([['a', ['a2', 'a1']], 'b', 'c']);
    expect(movePoint(tree, 'c', 1)).toEqual(tree);
  });
  it('drags before a target, never into its own subtree', () => {
    expect(ids(movePointBefore(tree, 'c', 'a1'))).toEqual([['a', ['c', 'a1', 'a2']], 'b']);
    expect(movePointBefore(tree, 'a', 'a2')).toEqual(tree);
  });
  it('indents and outdents', () => {
    expect(ids(indentPoint(tree, 'b'))).toEqual([['a', ['a1', 'a2', 'b']], 'c']);
    expect(ids(outdentPoint(tree, 'a1'))).toEqual([['a', ['a2']], 'a1', 'b', 'c']);
    expect(indentPoint(tree, 'a')).toEqual(tree);
  });
});
