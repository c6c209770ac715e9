import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { DoctorReport } from '../contract/contract.ts';
import type { HomePaths } from './paths.ts';
import { appRoot } from './paths.ts';
import { version } from './version.ts';

const require = createRequire(import.meta.url);

/** Finds a Chromium for browser mode and e2e: CHROMIUM_PATH, then the usual system places. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return null;
}

/** The Electron binary, when the `electron` package's download has happened on this machine. */
export function findElectronBinary(): string | null {
  try {
    const pkgDir = path.dirname(require.resolve('electron/package.json', { paths: [appRoot] }));
    const pathFile = path.join(pkgDir, 'path.txt');
    if (!fs.existsSync(pathFile)) return null;
    const bin = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function electronPackageVersion(): string | null {
  if (process.versions.electron) return process.versions.electron;
  try {
    return (require(path.join(appRoot, 'node_modules', 'electron', 'package.json')) as { version: string }).version;
  } catch {
    return null;
  }
}

export async function onnxRuntimeInfo(): Promise<DoctorReport['onnxruntime']> {
  try {
    const ort = await import('onnxruntime-node');
    const { probeProviders } = await import('./inference/session.ts');
    const infos = await probeProviders();
    const notes = infos.filter((i) => i.note).map((i) => `${i.name}: ${i.note}`);
    return {
      version: ort.env.versions.node ?? null,
      providers: infos.filter((i) => i.usable).map((i) => i.name),
      ...(notes.length ? { notes } : {}),
    };
  } catch (err) {
    return { version: null, providers: [], error: `onnxruntime-node failed to load: ${(err as Error).message}` };
  }
}

export async function doctorReport(paths: HomePaths): Promise<DoctorReport> {
  const electronBinary = findElectronBinary();
  const chromium = findChromium();
  return {
    version,
    node: process.versions.node,
    electron: electronPackageVersion(),
    electronBinary: { present: electronBinary !== null, path: electronBinary },
    chromium: { present: chromium !== null, path: chromium },
    platform: process.platform,
    arch: process.arch,
    cpus: os.cpus().length,
    ramGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    onnxruntime: await onnxRuntimeInfo(),
    home: paths.home,
    projectsDir: paths.projects,
    modelsDir: paths.models,
  };
}
