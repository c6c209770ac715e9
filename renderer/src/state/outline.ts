/** Pure edits of the outline tree (immutable): add, edit, remove, move among siblings, indent/outdent. */
import type { OutlinePoint } from '../../../electron/contract/contract.ts';

type Tree = OutlinePoint[];

export function newId(prefix = 'p'): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

export function findPoint(tree: Tree, id: string): { point: OutlinePoint; siblings: Tree; index: number; depth: number; parent: OutlinePoint | null } | null {
  const walk = (list: Tree, depth: number, parent: OutlinePoint | null): ReturnType<typeof findPoint> => {
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (p.id === id) return { point: p, siblings: list, index: i, depth, parent };
      const hit = walk(p.children, depth + 1, p);
      if (hit) return hit;
    }
    return null;
  };
  return walk(tree, 0, null);
}

/** Applies `f` to the sibling list that contains `id` (or the root list when id is null), copying the path. */
function editSiblings(tree: Tree, parentId: string | null, f: (list: Tree) => Tree): Tree {
  if (parentId === null) return f(tree);
  return tree.map((p) => (p.id === parentId ? { ...p, children: f(p.children) } : { ...p, children: editSiblings(p.children, parentId, f) }));
}

function parentIdOf(tree: Tree, id: string): string | null {
  return findPoint(tree, id)?.parent?.id ?? null;
}

export function addPoint(tree: Tree, parentId: string | null, text = '', afterId?: string): { tree: Tree; id: string } {
  const id = newId();
  const point: OutlinePoint = { id, text, children: [] };
  return {
    id,
    tree: editSiblings(tree, parentId, (list) => {
      const i = afterId ? list.findIndex((p) => p.id === afterId) : -1;
      return i < 0 ? [...list, point] : [...list.slice(0, i + 1), point, ...list.slice(i + 1)];
    }),
  };
}

export function updatePoint(tree: Tree, id: string, patch: Partial<Omit<OutlinePoint, 'id' | 'children'>>): Tree {
  return tree.map((p) => (p.id === id ? { ...p, ...patch } : { ...p, children: updatePoint(p.children, id, patch) }));
}

export function removePoint(tree: Tree, id: string): Tree {
  return tree.filter((p) => p.id !== id).map((p) => ({ ...p, children: removePoint(p.children, id) }));
}

/** Moves a point up (-1) or down (+1) among its siblings. */
export function movePoint(tree: Tree, id: string, delta: -1 | 1): Tree {
  return editSiblings(tree, parentIdOf(tree, id), (list) => {
    const i = list.findIndex((p) => p.id === id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= list.length) return list;
    const copy = [...list];
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    return copy;
  });
}

/** Moves `id` to sit just before `targetId` (drag and drop), in the target's sibling list. */
export function movePointBefore(tree: Tree, id: string, targetId: string): Tree {
  if (id === targetId) return tree;
  const moving = findPoint(tree, id)?.point;
  if (!moving || findPoint(moving.children, targetId)) return tree;
  const without = removePoint(tree, id);
  return editSiblings(without, parentIdOf(without, targetId), (list) => {
    const i = list.findIndex((p) => p.id === targetId);
    return [...list.slice(0, i), moving, ...list.slice(i)];
  });
}

/** Makes a point the last child of its previous sibling. */
export function indentPoint(tree: Tree, id: string): Tree {
  const at = findPoint(tree, id);
  if (!at || at.index === 0) return tree;
  const prev = at.siblings[at.index - 1]!;
  const without = removePoint(tree, id);
  return editSiblings(without, prev.id, (list) => [...list, at.point]);
}

/** Makes a point the next sibling of its parent. */
export function outdentPoint(tree: Tree, id: string): Tree {
  const at = findPoint(tree, id);
  if (!at?.parent) return tree;
  const parent = at.parent;
  const without = removePoint(tree, id);
  return editSiblings(without, parentIdOf(without, parent.id), (list) => {
    const i = list.findIndex((p) => p.id === parent.id);
    return [...list.slice(0, i + 1), at.point, ...list.slice(i + 1)];
  });
}

export function countPoints(tree: Tree): number {
  return tree.reduce((n, p) => n + 1 + countPoints(p.children), 0);
}
