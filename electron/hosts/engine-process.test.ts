import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPdf } from '../engine/export/pdf.ts';
import { findChromium } from '../engine/doctor.ts';
import { appRoot } from '../engine/paths.ts';

/**
 * The bundled utilityProcess entry (what Electron runs) speaks the same messages over Node's fork IPC: this builds
 * the real bundle and drives it as Electron main does, so a broken bundle or protocol fails here even where
 * Electron can't run.
 */
type Message = { kind: string; id?: number; html?: string; out?: string; reply?: { ok: boolean; result?: unknown; error?: { code: string; field?: string; message?: string } } };

let child: ChildProcess;
let home: string;
const messages: Message[] = [];
/** How this "main process" answers print requests: with a real printer, or with a failure. */
let printer: 'chromium' | 'fail' = 'chromium';
let nextId = 1;

function waitFor(pred: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const found = messages.find(pred);
    if (found) return resolve(found);
    const timer = setTimeout(() => reject(new Error(`no such message; got ${JSON.stringify(messages.map((m) => m.kind))}`)), 60_000);
    const on = (m: Message) => {
      if (pred(m)) {
        clearTimeout(timer);
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
  });
}

async function call(name: string, args: unknown): Promise<NonNullable<Message['reply']>> {
  const id = nextId++;
  child.send({ kind: 'call', id, name, args });
  return (await waitFor((m) => m.kind === 'reply' && m.id === id)).reply!;
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(appRoot, 'build', 'bundle-electron.mjs')], { cwd: appRoot, stdio: 'ignore' });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-engine-proc-'));
  child = fork(path.join(appRoot, 'dist-electron', 'engine-process.mjs'), [], {
    env: { ...process.env, LONGHAND_HOME: home, LONGHAND_PARENT_PRINTS_PDF: '1' },
    stdio: 'pipe',
  });
  child.on('message', (m: Message) => {
    messages.push(m);
    if (m.kind === 'pdf') {
      const done = printer === 'chromium' ? chromiumPdf(m.html!, m.out!) : Promise.reject(new Error('printer on fire'));
      done.then(
        () => child.send({ kind: 'pdf-done', id: m.id }),
        (err: Error) => child.send({ kind: 'pdf-done', id: m.id, error: err.message }),
      );
    }
  });
  await waitFor((m) => m.kind === 'ready');
});
afterAll(() => {
  child.kill();
});

describe('the bundled engine process', () => {
  it('answers calls in its data folder, and rejects malformed ones', async () => {
    expect(await call('system.health', {})).toMatchObject({ ok: true, result: { ok: true, host: 'electron' } });
    expect(await call('generator.load', { modelDir: 7 })).toMatchObject({ ok: false, error: { code: 'invalid_request', field: 'modelDir' } });
    expect(await call('system.doctor', {})).toMatchObject({ ok: true, result: { home } });
  });

  it('prints PDF exports through the host (Electron main) and reports a failed print without leaving a file', async (ctx) => {
    if (!findChromium()) return ctx.skip('no Chromium on this machine to act as the host printer (apt-get install chromium)');
    const dir = path.join(home, 'book');
    expect(await call('project.create', { dir, title: 'Printed by the host', kind: 'story', premise: 'A lighthouse keeper.' })).toMatchObject({ ok: true });
    const out = path.join(home, 'book.pdf');
    printer = 'chromium';
    expect(await call('project.export', { dir, format: 'pdf', out })).toMatchObject({ ok: true, result: { out } });
    expect(messages.some((m) => m.kind === 'pdf')).toBe(true);
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');

    const failedOut = path.join(home, 'failed.pdf');
    printer = 'fail';
    const failed = await call('project.export', { dir, format: 'pdf', out: failedOut });
    expect(failed).toMatchObject({ ok: false, error: { code: 'io' } });
    expect(failed.error?.message).toContain('printer on fire');
    expect(fs.existsSync(failedOut)).toBe(false);
    expect(fs.readdirSync(home).filter((f) => f.includes('failed'))).toEqual([]);
  });
});
