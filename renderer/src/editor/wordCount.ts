export { countWords } from '../../../electron/shared/words.ts';

/** Formats a count for the status line, e.g. 12,345. */
export function formatCount(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}
