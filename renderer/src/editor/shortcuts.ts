/** Keyboard shortcuts, shown in tooltips as the platform writes them. */
const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const mod = mac ? '⌘' : 'Ctrl';
export const keys = {
  bold: `${mod}+B`,
  italic: `${mod}+I`,
  undo: `${mod}+Z`,
  redo: mac ? '⌘+Shift+Z' : 'Ctrl+Y',
  find: `${mod}+F`,
  write: `${mod}+Enter`,
  pause: `${mod}+Shift+Enter`,
  h1: `${mod}+Alt+1`,
  h2: `${mod}+Alt+2`,
  h3: `${mod}+Alt+3`,
  paragraph: `${mod}+Alt+0`,
} as const;

/** "Bold (Ctrl+B)" */
export function withKey(label: string, key?: string): string {
  return key ? `${label} (${key})` : label;
}

export function isMod(e: KeyboardEvent | React.KeyboardEvent): boolean {
  return mac ? e.metaKey : e.ctrlKey;
}
