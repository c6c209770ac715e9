/** The one live editor, for panels that act on the document (swap a candidate, jump to a passage). */
import type { LexicalEditor } from 'lexical';

let current: LexicalEditor | null = null;
export const setEditor = (e: LexicalEditor | null): void => {
  current = e;
};
export const getEditor = (): LexicalEditor | null => current;
