import { describe, expect, it } from 'vitest';
import { depth, findPoint, leaves, withChildren } from './outline.ts';
import { importPlan } from './plan-file.ts';

describe('recursive outline', () => {
  const { plan } = importPlan(JSON.stringify({ kind: 'story', premise: 'p', outline: ['A', { text: 'B', children: ['B1', 'B2'] }, 'C'] }));

  it('walks leaves in document order', () => {
    expect(leaves(plan.outline).map((l) => l.point.text)).toEqual(['A', 'B1', 'B2', 'C']);
    expect(leaves(plan.outline)[2]!.ancestors.map((a) => a.text)).toEqual(['B']);
  });

  it('expands any point to any depth, keeping ids unique and stable', () => {
    let o = withChildren(plan.outline, '2.2', ['B2a', 'B2b']);
    o = withChildren(o, '2.2.1', ['deep 1', 'deep 2', 'deep 3']);
    o = withChildren(o, '3', ['C1', 'C2']);
    expect(depth(o)).toBe(4);
    expect(leaves(o).map((l) => l.point.text)).toEqual(['A', 'B1', 'deep 1', 'deep 2', 'deep 3', 'B2b', 'C1', 'C2']);
    const ids = leaves(o).map((l) => l.point.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(findPoint(o, '2.2.1.3')?.ancestors.map((a) => a.text)).toEqual(['B', 'B2', 'B2a']);
    // the original is untouched
    expect(leaves(plan.outline)).toHaveLength(4);
  });
});
