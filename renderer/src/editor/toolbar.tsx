/** The formatting toolbar: inline styles, block types, lists, quote, undo/redo, find; shortcuts in tooltips. */
import { useCallback, useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import {
  $createParagraphNode,
  $getSelection,
  $isRangeSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  KEY_DOWN_COMMAND,
  REDO_COMMAND,
  UNDO_COMMAND,
} from 'lexical';
import { $setBlocksType } from '@lexical/selection';
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode, type HeadingTagType } from '@lexical/rich-text';
import { $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, REMOVE_LIST_COMMAND } from '@lexical/list';
import { $findMatchingParent } from '@lexical/utils';
import { useI18n } from '../i18n/i18n.ts';
import { isMod, keys, withKey } from './shortcuts.ts';

type Block = 'paragraph' | HeadingTagType | 'quote' | 'bullet' | 'number';

export function Toolbar({ onFind }: { onFind: () => void }) {
  const [editor] = useLexicalComposerContext();
  const { t } = useI18n();
  const [bold, setBold] = useState(false);
  const [italic, setItalic] = useState(false);
  const [block, setBlock] = useState<Block>('paragraph');
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);

  useEffect(() => {
    const offs = [
      editor.registerUpdateListener(({ editorState }) =>
        editorState.read(() => {
          const sel = $getSelection();
          if (!$isRangeSelection(sel)) return;
          setBold(sel.hasFormat('bold'));
          setItalic(sel.hasFormat('italic'));
          const top = sel.anchor.getNode().getTopLevelElement();
          const list = $findMatchingParent(sel.anchor.getNode(), $isListNode);
          if (list && $isListNode(list)) setBlock(list.getListType() === 'number' ? 'number' : 'bullet');
          else if ($isHeadingNode(top)) setBlock(top.getTag());
          else if ($isQuoteNode(top)) setBlock('quote');
          else setBlock('paragraph');
        }),
      ),
      editor.registerCommand(CAN_UNDO_COMMAND, (v) => (setCanUndo(v), false), COMMAND_PRIORITY_LOW),
      editor.registerCommand(CAN_REDO_COMMAND, (v) => (setCanRedo(v), false), COMMAND_PRIORITY_LOW),
    ];
    return () => offs.forEach((f) => f());
  }, [editor]);

  const setBlockType = useCallback(
    (b: Block) => {
      if (b === 'bullet' || b === 'number') {
        editor.dispatchCommand(block === b ? REMOVE_LIST_COMMAND : b === 'bullet' ? INSERT_UNORDERED_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined);
        return;
      }
      editor.update(() => {
        const sel = $getSelection();
        const target = block === b ? 'paragraph' : b;
        $setBlocksType(sel, () => (target === 'paragraph' ? $createParagraphNode() : target === 'quote' ? $createQuoteNode() : $createHeadingNode(target)));
      });
    },
    [editor, block],
  );

  useEffect(
    () =>
      editor.registerCommand(
        KEY_DOWN_COMMAND,
        (e) => {
          if (!isMod(e) || !e.altKey) return false;
          const map: Record<string, Block> = { Digit0: 'paragraph', Digit1: 'h1', Digit2: 'h2', Digit3: 'h3' };
          const b = map[e.code];
          if (!b) return false;
          e.preventDefault();
          setBlockType(b === block ? 'paragraph' : b);
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
    [editor, setBlockType, block],
  );

  const btn = (label: string, key: string | undefined, pressed: boolean | undefined, onClick: () => void, text: string, disabled = false) => (
    <button type="button" className="tb" aria-label={label} title={withKey(label, key)} aria-pressed={pressed} onMouseDown={(e) => e.preventDefault()} onClick={onClick} disabled={disabled}>
      {text}
    </button>
  );

  return (
    <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
      {btn(t('editor.undo'), keys.undo, undefined, () => editor.dispatchCommand(UNDO_COMMAND, undefined), '↶', !canUndo)}
      {btn(t('editor.redo'), keys.redo, undefined, () => editor.dispatchCommand(REDO_COMMAND, undefined), '↷', !canRedo)}
      <span className="tb-sep" />
      {btn(t('editor.bold'), keys.bold, bold, () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold'), 'B')}
      {btn(t('editor.italic'), keys.italic, italic, () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'italic'), 'I')}
      <span className="tb-sep" />
      {btn(t('editor.paragraph'), keys.paragraph, block === 'paragraph', () => setBlockType('paragraph'), '¶')}
      {btn(t('editor.h1'), keys.h1, block === 'h1', () => setBlockType('h1'), 'H1')}
      {btn(t('editor.h2'), keys.h2, block === 'h2', () => setBlockType('h2'), 'H2')}
      {btn(t('editor.h3'), keys.h3, block === 'h3', () => setBlockType('h3'), 'H3')}
      {btn(t('editor.bullets'), undefined, block === 'bullet', () => setBlockType('bullet'), '•')}
      {btn(t('editor.numbers'), undefined, block === 'number', () => setBlockType('number'), '1.')}
      {btn(t('editor.quote'), undefined, block === 'quote', () => setBlockType('quote'), '❝')}
      <span className="tb-sep" />
      {btn(t('editor.find'), keys.find, undefined, onFind, '⌕')}
    </div>
  );
}
