import type { OutlinePoint } from '../../contract/contract.ts';

/** A leaf with its ancestors (root first), in drafting order. */
export interface Leaf {
  point: OutlinePoint;
  ancestors: OutlinePoint[];
  /** Index among all leaves. */
  index: number;
}

/** Leaves of the outline in document order (depth first): drafting walks these. */
export function leaves(outline: OutlinePoint[]): Leaf[] {
  const out: Leaf[] = [];
  const walk = (points: OutlinePoint[], ancestors: OutlinePoint[]) => {
    for (const p of points) {
      if (p.children.length === 0) out.push({ point: p, ancestors, index: out.length });
      else walk(p.children, [...ancestors, p]);
    }
  };
  walk(outline, []);
  return out;
}

export function findPoint(outline: OutlinePoint[], id: string): { point: OutlinePoint; ancestors: OutlinePoint[] } | null {
  for (const p of outline) {
    if (p.id === id) return { point: p, ancestors: [] };
    const inner = findPoint(p.children, id);
    if (inner) return { point: inner.point, ancestors: [p, ...inner.ancestors] };
  }
  return null;
}

/** Depth of the outline (a flat list is 1; empty is 0). */
export function depth(outline: OutlinePoint[]): number {
  return outline.reduce((d, p) => Math.max(d, 1 + depth(p.children)), 0);
}

export function allIds(outline: OutlinePoint[]): Set<string> {
  const ids = new Set<string>();
  const walk = (ps: OutlinePoint[]) => ps.forEach((p) => (ids.add(p.id), walk(p.children)));
  walk(outline);
  return ids;
}

/** Ids are hierarchical ("2", "2.1", "2.1.3") so they read well in reports and stay stable when siblings are expanded. */
export function childId(parentId: string | null, index: number): string {
  return parentId === null ? String(index + 1) : `${parentId}.${index + 1}`;
}

/** Returns a new outline where `pointId` has `children` (texts) as sub-points. The input is not mutated. */
export function withChildren(outline: OutlinePoint[], pointId: string, children: string[]): OutlinePoint[] {
  const used = allIds(outline);
  return outline.map(function rebuild(p): OutlinePoint {
    if (p.id === pointId) {
      let n = 0;
      const kids = children.map((text) => {
        let id = childId(p.id, n++);
        while (used.has(id)) id = childId(p.id, n++);
        used.add(id);
        return { id, text, children: [] };
      });
      return { ...p, children: kids };
    }
    return { ...p, children: p.children.map(rebuild) };
  });
}

/** Returns a copy with each leaf's targetWords set from `targets` (by id). */
export function withLeafTargets(outline: OutlinePoint[], targets: Map<string, number>): OutlinePoint[] {
  return outline.map(function rebuild(p): OutlinePoint {
    if (p.children.length === 0) {
      const t = targets.get(p.id);
      const { targetWords: _old, ...rest } = p;
      return t === undefined ? rest : { ...rest, targetWords: t };
    }
    return { ...p, children: p.children.map(rebuild) };
  });
}
