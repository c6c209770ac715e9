import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../engine/paths.ts';

/**
 * The bundled utilityProcess entry (what Electron runs) speaks the same messages over Node's fork IPC: this builds
 * the real bundle and drives it, so a broken bundle or protocol fails here even where Electron can't run.
 */
describe('the bundled engine process', () => {
  it('starts, answers calls in its data folder, and rejects malformed ones', async () => {
    execFileSync(process.execPath, [path.join(appRoot, 'build', 'bundle-electron.mjs')], { cwd: appRoot, stdio: 'ignore' });
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-engine-proc-'));
    const child = fork(path.join(appRoot, 'dist-electron', 'engine-process.mjs'), [], { env: { ...process.env, LONGHAND_HOME: home }, stdio: 'pipe' });
    const messages: Array<{ kind: string; id?: number; reply?: { ok: boolean; result?: unknown; error?: { code: string; field?: string } } }> = [];
    const waitFor = (pred: (m: (typeof messages)[number]) => boolean) =>
      new Promise<(typeof messages)[number]>((resolve, reject) => {
        const found = messages.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no such message; got ${JSON.stringify(messages)}`)), 30_000);
        child.on('message', (m: (typeof messages)[number]) => {
          if (pred(m)) {
            clearTimeout(timer);
            resolve(m);
          }
        });
      });
    child.on('message', (m: (typeof messages)[number]) => messages.push(m));
    try {
      await waitFor((m) => m.kind === 'ready');
      child.send({ kind: 'call', id: 1, name: 'system.health', args: {} });
      child.send({ kind: 'call', id: 2, name: 'generator.load', args: { modelDir: 7 } });
      const health = await waitFor((m) => m.id === 1);
      expect(health.reply).toMatchObject({ ok: true, result: { ok: true, host: 'electron' } });
      const bad = await waitFor((m) => m.id === 2);
      expect(bad.reply).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'modelDir' } });
      child.send({ kind: 'call', id: 3, name: 'system.doctor', args: {} });
      expect((await waitFor((m) => m.id === 3)).reply).toMatchObject({ ok: true, result: { home } });
    } finally {
      child.kill();
    }
  });
});
