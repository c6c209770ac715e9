/**
 * The Models dialog against a real local hub server (HTTP on 127.0.0.1 with the hub's URL layout): the catalog and
 * built-ins are listed, a hub repository downloads with a live progress bar into the data folder byte for byte, the
 * new model is assigned a role that the engine keeps, and importing a missing folder shows a clear error.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, type Page } from '@playwright/test';
import { startHubServer, type HubServer } from '../electron/engine/models/testing/hub-server.ts';
import { expect, launchApp, screenshot, type LaunchedApp } from './launchApp.ts';

const weights = randomBytes(3_000_000);
let hub: HubServer;
let app: LaunchedApp;

test.beforeAll(async () => {
  hub = await startHubServer({
    'demo/reranker': {
      revision: 'main',
      files: [
        { path: 'config.json', data: Buffer.from('{"model_type":"bert"}') },
        { path: 'tokenizer.json', data: Buffer.from('{"model":{}}') },
        { path: 'onnx/model_quantized.onnx', data: weights },
      ],
    },
  });
});
test.afterAll(async () => {
  await hub?.close();
});
test.beforeEach(async () => {
  app = await launchApp({ env: { HF_ENDPOINT: hub.endpoint } });
});
test.afterEach(async () => {
  await app?.close();
});

type Listed = { installed: Array<{ id: string; dir: string; source: string }>; roles: Record<string, string | null> };

async function modelsList(page: Page): Promise<Listed> {
  const res = (await page.evaluate(async () => {
    const api = (globalThis as unknown as { longhand?: { call(n: string, a: unknown): Promise<unknown> } }).longhand;
    if (api) return api.call('models.list', {});
    const r = await fetch('./api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'models.list', args: {} }) });
    return r.json();
  })) as { ok: boolean; result?: Listed; error?: { message: string } };
  expect(res.ok, res.error?.message).toBe(true);
  return res.result!;
}

test('Models dialog: list, pull from the hub with live progress, assign a role, import error', async () => {
  test.setTimeout(90_000);
  const { page } = app;
  await expect(page.getByRole('status', { name: 'Engine status' })).toContainText('ready', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Models' }).click();
  const dialog = page.getByRole('dialog', { name: 'Models' });
  await expect(dialog.getByText('Qwen2.5 0.5B Instruct (q4)')).toBeVisible();
  await expect(dialog.getByText('Embedded relevance model (built in)')).toBeVisible();
  await screenshot(page, 'models-1-dialog');

  // Pull: the hub serves the weights slowly, so the progress bar is seen moving before the download completes.
  hub.fault('onnx/model_quantized.onnx', { kind: 'slow', chunk: 50_000, everyMs: 60 });
  await dialog.getByRole('textbox', { name: 'Hub repository' }).fill('demo/reranker');
  await dialog.getByRole('region', { name: 'From the Hugging Face hub' }).getByLabel('Role').selectOption('relevance');
  await dialog.getByRole('region', { name: 'From the Hugging Face hub' }).getByRole('button', { name: 'Download' }).click();
  const bar = dialog.getByRole('progressbar').first();
  await expect(bar).toBeVisible();
  // Read without waiting: the bar goes away when the download completes (then it counts as 100).
  const pct = () => dialog.getByRole('progressbar').evaluateAll((els) => (els[0] ? Number(els[0].getAttribute('aria-valuenow')) : 100));
  await expect.poll(pct, { timeout: 20_000, intervals: [50] }).toBeGreaterThan(20);
  await bar.scrollIntoViewIfNeeded();
  await screenshot(page, 'models-2-progress');
  const seen = await pct();
  expect(seen).toBeLessThan(100);
  await expect.poll(pct, { timeout: 20_000, intervals: [50] }).toBeGreaterThan(seen);

  const row = dialog.locator('[data-installed="demo--reranker-q8"]');
  await expect(row).toBeVisible({ timeout: 30_000 });
  const installed = (await modelsList(page)).installed.find((m) => m.id === 'demo--reranker-q8');
  expect(installed?.source).toBe('hub');
  const onDisk = fs.readFileSync(path.join(installed!.dir, 'onnx', 'model_quantized.onnx'));
  expect(createHash('sha256').update(onDisk).digest('hex')).toBe(createHash('sha256').update(weights).digest('hex'));
  expect(installed!.dir.startsWith(app.home)).toBe(true);

  // Assign it the relevance role; the engine keeps the choice.
  await dialog.getByLabel('Relevance', { exact: true }).selectOption('demo--reranker-q8');
  await expect.poll(async () => (await modelsList(page)).roles.relevance, { timeout: 10_000 }).toBe('demo--reranker-q8');
  await expect(dialog.getByLabel('Relevance', { exact: true })).toHaveValue('demo--reranker-q8');
  await dialog.evaluate((el) => (el.scrollTop = 0));
  await screenshot(page, 'models-3-installed');

  // Import a folder that does not exist: a clear error naming the folder, and nothing is installed.
  const before = (await modelsList(page)).installed.length;
  await dialog.getByRole('textbox', { name: 'Model folder' }).fill('/nonexistent/folder');
  await dialog.getByRole('button', { name: 'Import' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('/nonexistent/folder');
  expect((await modelsList(page)).installed.length).toBe(before);
  await screenshot(page, 'models-4-import-error');
});
