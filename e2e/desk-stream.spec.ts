/**
 * Streaming, candidates, swap and undo in the real renderer and engine, with the pipeline's events replayed into
 * the page at the renderer's event door (the bench hook), so this runs without a generator model. The full flow
 * with real generation is in flow.spec.ts.
 */
import type { Page } from '@playwright/test';
import type { EngineEvent, Passage } from '../electron/contract/contract.ts';
import { test, expect, screenshot } from './launchApp.ts';

const shim = 'globalThis.__name = globalThis.__name || ((f) => f);';

async function replay(page: Page, events: EngineEvent[], gapMs = 0) {
  await page.evaluate(
    async ({ events, gapMs }) => {
      for (const e of events) {
        (window as unknown as { __longhandReplay: (ev: unknown) => void }).__longhandReplay(e);
        await new Promise((r) => (gapMs ? setTimeout(r, gapMs) : requestAnimationFrame(r)));
      }
    },
    { events, gapMs },
  );
}

const scores = (c: number) => ({ relevance: c, coherence: -1 - c, repetition: 0.1, combined: c });

test('streamed passages land under their section, a passage is one undo step, a candidate swap too; all survives reload', async ({ app }) => {
  const { page } = app;
  await page.context().addInitScript(shim + "sessionStorage.setItem('longhand.bench', '1');");
  await page.reload();
  await expect(page.getByRole('status', { name: 'Engine status' })).toContainText('ready', { timeout: 30_000 });
  await page.getByRole('button', { name: 'New project' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByLabel('Title').fill('Replay');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toHaveCount(0);
  const plan = page.getByRole('complementary', { name: 'Plan' });
  await plan.getByRole('button', { name: 'Add point' }).click();
  await page.keyboard.type('The bottle washes ashore');
  const pointId = await plan.getByRole('textbox', { name: 'Outline point 1', exact: true }).getAttribute('data-point');
  const dir = await page.evaluate(() => localStorage.getItem('longhand.lastProject'));
  expect(pointId && dir).toBeTruthy();

  const words = 'Ada walked down to the cold shore at dawn and found a green bottle in the kelp'.split(' ');
  await replay(page, words.map((w, i) => ({ type: 'passage.tokens', dir: dir!, pointId: pointId!, passageId: 'pa', candidate: 0, text: (i ? ' ' : '') + w })), 15);
  const editor = page.getByRole('textbox', { name: 'Document' });
  await expect(editor.locator('h2')).toHaveText('The bottle washes ashore');
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(words.join(' '));
  await screenshot(page, 'stream-1-streaming');

  const passage: Passage = {
    id: 'pa',
    pointId: pointId!,
    index: 0,
    text: 'Ada walked down to the cold shore at dawn and found a green bottle in the kelp.',
    chosen: 0,
    editedByUser: false,
    candidates: [
      { text: 'Ada walked down to the cold shore at dawn and found a green bottle in the kelp.', scores: scores(0.82), tokens: 20 },
      { text: 'The gulls woke her. On the shingle lay a bottle, stoppered with red wax.', scores: scores(0.64), tokens: 18 },
    ],
  };
  await replay(page, [{ type: 'passage.accepted', dir: dir!, passage }]);
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(passage.text);

  // The cursor in the passage shows its candidates; swapping is one undo step.
  await editor.locator('[data-passage="pa"]').click();
  const side = page.getByRole('complementary', { name: 'Candidates' });
  await expect(side.getByRole('button', { name: 'Use candidate 1' })).toHaveAttribute('aria-pressed', 'true');
  await side.getByRole('button', { name: 'Use candidate 2' }).click();
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(passage.candidates[1]!.text);
  await screenshot(page, 'stream-2-swapped');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(passage.text);
  // One more undo removes the whole streamed passage (tokens + accepted text were one step).
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(editor.locator('[data-passage="pa"]')).toHaveCount(0);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(passage.text);

  // Hovering shows provenance; the document map has a mark that jumps there.
  await page.mouse.move(5, 5);
  await editor.locator('[data-passage="pa"]').hover();
  await expect(page.getByRole('tooltip')).toContainText('Outline point: The bottle washes ashore');
  await expect(page.getByRole('navigation', { name: 'Document map' }).getByRole('button', { name: /Passage 1: score 0\.82/ })).toBeVisible();

  // A pause aborts the passage being drafted: its unfinished text goes, and the resumed draft starts it afresh.
  const state = (step: 'paused' | 'drafting') => ({ type: 'pipeline.state' as const, dir: dir!, state: { step, done: 1, total: 2 } });
  await replay(page, [{ type: 'passage.tokens', dir: dir!, pointId: pointId!, passageId: 'pb', candidate: 0, text: 'Half a sent' }]);
  await expect(editor.locator('[data-passage="pb"]')).toHaveText('Half a sent');
  await replay(page, [state('paused')]);
  await expect(editor.locator('[data-passage="pb"]')).toHaveCount(0);
  await replay(page, [state('drafting'), { type: 'passage.tokens', dir: dir!, pointId: pointId!, passageId: 'pb', candidate: 0, text: 'A whole new sentence.' }]);
  await expect(editor.locator('[data-passage="pb"]')).toHaveText('A whole new sentence.');
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(passage.text);

  // A consistency flag shows its evidence and outlines the passage's mark on the document map.
  await replay(page, [{ type: 'flag.raised', dir: dir!, flag: { id: 'f1', passageId: 'pa', entity: 'Ada', fact: 'Ada has a scar on her left hand.', evidence: 'her unmarked hands', status: 'open' } }]);
  const flags = page.getByRole('region', { name: 'Consistency' });
  await expect(flags).toContainText('Ada: Ada has a scar on her left hand.');
  await expect(flags.getByLabel('Evidence')).toHaveText('her unmarked hands');
  const mark = page.getByRole('navigation', { name: 'Document map' }).getByRole('button', { name: /Passage 1: .*\(flagged\)/ });
  await expect(mark).toBeVisible();
  await mark.click();
  await expect(page.getByRole('complementary', { name: 'Candidates' }).getByRole('button', { name: 'Use candidate 2' })).toBeVisible();

  // Editing a generated paragraph marks it edited; then everything survives a reload.
  await editor.locator('[data-passage="pa"]').click();
  await page.keyboard.press('End');
  await page.keyboard.type(' It was addressed to her.');
  await expect(page.getByText('Saved', { exact: true })).toBeVisible({ timeout: 10_000 });
  await screenshot(page, 'stream-3-edited');
  await page.reload();
  await expect(editor.locator('[data-passage="pa"]')).toHaveText(passage.text + ' It was addressed to her.', { timeout: 15_000 });
  await expect(editor.locator('[data-passage="pa"]')).toHaveClass(/lh-edited/);
  await expect(editor.locator('h2')).toHaveText('The bottle washes ashore');
});
