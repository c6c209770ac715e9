/**
 * launchApp(): the real app for a spec. Under Electron when its binary is present (LONGHAND_E2E=electron forces,
 * =web forces browser mode), otherwise browser mode (`electron/hosts/web.ts` in its own Node process) opened in
 * Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium). Each launch gets its own data folder.
 */
import { test as base, chromium, _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findChromium, findElectronBinary } from '../electron/engine/doctor.ts';
import { appRoot } from '../electron/engine/paths.ts';

export interface LaunchedApp {
  mode: 'electron' | 'web';
  page: Page;
  /** The app's data folder (LONGHAND_HOME) for this launch. */
  home: string;
  /** Browser mode only: the server's origin and token. */
  url?: string;
  token?: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Force a host regardless of LONGHAND_E2E and the Electron binary (specs of the browser-mode server use 'web'). */
  mode?: 'electron' | 'web';
  home?: string;
  env?: Record<string, string>;
}

export const artifactsDir = path.join(appRoot, 'e2e', 'artifacts');

export async function launchApp(options: LaunchOptions = {}): Promise<LaunchedApp> {
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'longhand-e2e-'));
  const env = { ...process.env, LONGHAND_HOME: home, ...options.env } as Record<string, string>;
  const forced = options.mode ?? process.env.LONGHAND_E2E;
  const electronBin = findElectronBinary();
  if (forced === 'electron' || (forced !== 'web' && electronBin)) {
    if (!electronBin) throw new Error('LONGHAND_E2E=electron but the Electron binary is missing (node node_modules/electron/install.js).');
    const app: ElectronApplication = await _electron.launch({ executablePath: electronBin, args: [path.join(appRoot, 'dist-electron', 'main.mjs')], env, cwd: appRoot });
    const page = await app.firstWindow();
    return { mode: 'electron', page, home, close: () => app.close() };
  }
  const executablePath = findChromium(env);
  if (!executablePath) throw new Error('No Chromium found for browser-mode e2e: install it (apt-get install chromium) or set CHROMIUM_PATH.');
  const server = await startServer(env);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.appUrl);
    const b = browser;
    return {
      mode: 'web',
      page,
      home,
      url: server.url,
      token: server.token,
      close: async () => {
        await b.close();
        await server.stop();
      },
    };
  } catch (err) {
    await browser?.close();
    await server.stop();
    throw err;
  }
}

async function startServer(env: Record<string, string>): Promise<{ url: string; appUrl: string; token: string; stop(): Promise<void> }> {
  const tsx = path.join(appRoot, 'node_modules', '.bin', 'tsx');
  const child: ChildProcess = spawn(tsx, [path.join(appRoot, 'electron', 'hosts', 'web.ts')], { env, cwd: appRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const appUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser-mode server did not start in 60 s:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser-mode server exited with code ${code}:\n${log}`));
    });
  });
  const u = new URL(appUrl);
  return {
    url: u.origin,
    appUrl,
    token: u.searchParams.get('token')!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A Playwright test with an `app` fixture: a fresh app and data folder per test. */
export const test = base.extend<{ app: LaunchedApp }>({
  app: async ({}, use) => {
    const app = await launchApp();
    await use(app);
    await app.close();
  },
});
export { expect } from '@playwright/test';

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
