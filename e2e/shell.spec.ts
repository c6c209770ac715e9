import WebSocket from 'ws';
import { launchApp, test, expect, screenshot } from './launchApp.ts';

function wsOutcome(url: string): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('error', () => resolve('refused'));
  });
}

test('the app opens, takes typed text, and shows a healthy engine', async ({ app }) => {
  const { page } = app;
  await expect(page.getByRole('status', { name: 'Engine status' })).toContainText('ready', { timeout: 30_000 });
  const editor = page.getByRole('textbox', { name: 'Document' });
  await editor.click();
  await page.keyboard.type('It was a bright cold day in April.');
  await expect(editor).toContainText('It was a bright cold day in April.');
  await screenshot(page, 'shell');
});

// The browser-mode server is what this spec checks, so it runs in browser mode under Electron too.
test('browser mode refuses requests without the token or from another origin', async ({ request }) => {
  const app = await launchApp({ mode: 'web' });
  try {
    const body = { name: 'system.health', args: {} };
    const noToken = await request.post(`${app.url}/api/call`, { data: body });
    expect(noToken.status()).toBe(401);
    const wrongToken = await request.post(`${app.url}/api/call`, { data: body, headers: { 'x-longhand-token': 'nope' } });
    expect(wrongToken.status()).toBe(401);
    const page = await request.get(`${app.url}/`);
    expect(page.status()).toBe(401);
    const otherOrigin = await request.post(`${app.url}/api/call`, { data: body, headers: { 'x-longhand-token': app.token!, origin: 'http://evil.example' } });
    expect(otherOrigin.status()).toBe(403);
    const ok = await request.post(`${app.url}/api/call`, { data: body, headers: { 'x-longhand-token': app.token! } });
    expect(ok.status()).toBe(200);
    expect((await ok.json()).ok).toBe(true);
    // The events WebSocket needs the token too.
    const wsUrl = app.url!.replace('http', 'ws') + '/events';
    expect(await wsOutcome(wsUrl)).toBe('refused');
    expect(await wsOutcome(`${wsUrl}?token=wrong`)).toBe('refused');
    expect(await wsOutcome(`${wsUrl}?token=${app.token}`)).toBe('open');
  } finally {
    await app.close();
  }
});

test('a request that fails the schema gets a typed error naming the field', async ({ app }) => {
  const reply = await app.page.evaluate(async () => {
    const api = (globalThis as unknown as { longhand?: { call(n: string, a: unknown): Promise<unknown> } }).longhand;
    if (api) return api.call('generator.load', { modelDir: 42 });
    const res = await fetch('./api/call', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'generator.load', args: { modelDir: 42 } }) });
    return res.json();
  });
  expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'modelDir' } });
});
