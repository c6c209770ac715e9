/** The outline as an editable tree: edit text, add, delete, reorder by drag or keyboard, indent, expand, regenerate. */
import { useLayoutEffect, useRef, useState } from 'react';
import type { OutlinePoint } from '../../../electron/contract/contract.ts';
import { useI18n } from '../i18n/i18n.ts';
import { expandPoint, setPlan } from '../state/actions.ts';
import { addPoint, indentPoint, movePoint, movePointBefore, outdentPoint, removePoint, updatePoint } from '../state/outline.ts';
import { getState, useDesk } from '../state/store.ts';

/** The point to focus once the tree has re-rendered (synchronously, so no keystroke lands in the old field). */
let pendingFocus: string | null = null;

function commit(outline: OutlinePoint[], focusId?: string) {
  pendingFocus = focusId ?? null;
  setPlan({ ...getState().plan, outline });
}

export function OutlineTree() {
  const { t } = useI18n();
  const outline = useDesk((s) => s.plan.outline);
  const dragging = useRef<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (!pendingFocus) return;
    const el = document.querySelector<HTMLTextAreaElement>(`[data-point="${pendingFocus}"]`);
    pendingFocus = null;
    if (el && document.activeElement !== el) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
  });

  const onKey = (e: React.KeyboardEvent<HTMLTextAreaElement>, id: string) => {
    const tree = getState().plan.outline;
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      commit(movePoint(tree, id, e.key === 'ArrowUp' ? -1 : 1), id);
    } else if (e.key === 'Tab') {
      e.preventDefault();
      commit(e.shiftKey ? outdentPoint(tree, id) : indentPoint(tree, id), id);
    } else if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      const parent = findParentId(tree, id);
      const r = addPoint(tree, parent, '', id);
      commit(r.tree, r.id);
    }
  };

  const render = (list: OutlinePoint[], prefix: string) => (
    <ol className="outline-list">
      {list.map((p, i) => {
        const n = prefix ? `${prefix}.${i + 1}` : `${i + 1}`;
        return (
          <li
            key={p.id}
            className={`outline-item${over === p.id ? ' drop-target' : ''}`}
            onDragOver={(e) => {
              if (!dragging.current || dragging.current === p.id) return;
              e.preventDefault();
              e.stopPropagation();
              setOver(p.id);
            }}
            onDragLeave={() => setOver((o) => (o === p.id ? null : o))}
            onDrop={(e) => {
              e.preventDefault();
              e.stopPropagation();
              setOver(null);
              const from = dragging.current;
              dragging.current = null;
              if (from) commit(movePointBefore(getState().plan.outline, from, p.id));
            }}
          >
            <div className="outline-row">
              <span
                className="drag"
                draggable
                role="button"
                tabIndex={-1}
                aria-label={t('plan.dragHandle', { n })}
                title={t('plan.dragHint')}
                onDragStart={(e) => {
                  dragging.current = p.id;
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', p.id);
                }}
                onDragEnd={() => {
                  dragging.current = null;
                  setOver(null);
                }}
              >
                ⋮⋮
              </span>
              <span className="num">{n}</span>
              <textarea
                data-point={p.id}
                rows={1}
                aria-label={t('plan.point', { n })}
                title={t('plan.dragHint')}
                value={p.text}
                onChange={(e) => commit(updatePoint(getState().plan.outline, p.id, { text: e.target.value }))}
                onKeyDown={(e) => onKey(e, p.id)}
              />
              <div className="row-actions">
                <button type="button" aria-label={`${t('plan.addSubPoint')} ${n}`} title={t('plan.addSubPoint')} onClick={() => { const r = addPoint(getState().plan.outline, p.id); commit(r.tree, r.id); }}>+</button>
                <button type="button" aria-label={`${t('plan.expand')} ${n}`} title={t('plan.expand')} onClick={() => void expandPoint(p.id)}>⤵</button>
                <button type="button" aria-label={`${t('plan.moveUp')} ${n}`} title={`${t('plan.moveUp')} (Alt+↑)`} onClick={() => commit(movePoint(getState().plan.outline, p.id, -1))}>↑</button>
                <button type="button" aria-label={`${t('plan.moveDown')} ${n}`} title={`${t('plan.moveDown')} (Alt+↓)`} onClick={() => commit(movePoint(getState().plan.outline, p.id, 1))}>↓</button>
                <button type="button" aria-label={`${t('plan.removePoint')} ${n}`} title={t('plan.removePoint')} onClick={() => commit(removePoint(getState().plan.outline, p.id))}>×</button>
              </div>
            </div>
            {p.children.length > 0 && render(p.children, n)}
          </li>
        );
      })}
    </ol>
  );

  return (
    <div className="outline">
      {render(outline, '')}
      <button type="button" className="add" onClick={() => { const r = addPoint(getState().plan.outline, null); commit(r.tree, r.id); }}>
        {t('plan.addPoint')}
      </button>
    </div>
  );
}

function findParentId(tree: OutlinePoint[], id: string, parent: string | null = null): string | null {
  for (const p of tree) {
    if (p.id === id) return parent;
    const hit = findParentId(p.children, id, p.id);
    if (hit !== null) return hit;
  }
  return null;
}
