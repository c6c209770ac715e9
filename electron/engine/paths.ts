import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The one data folder for everything kept outside projects: installed models, settings, recent projects, logs.
 * `LONGHAND_HOME` overrides the platform's usual place (tests and the e2e harness isolate each run with it).
 */
export function longhandHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LONGHAND_HOME) return path.resolve(env.LONGHAND_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Longhand');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Longhand');
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'longhand');
  }
}

export interface HomePaths {
  home: string;
  projects: string;
  models: string;
  settings: string;
  recent: string;
  logs: string;
}

export function homePaths(home = longhandHome()): HomePaths {
  return {
    home,
    projects: path.join(home, 'projects'),
    models: path.join(home, 'models'),
    settings: path.join(home, 'settings.json'),
    recent: path.join(home, 'recent.json'),
    logs: path.join(home, 'logs'),
  };
}

/**
 * The repository (or installed app) root: where `package.json` and `models/` (the embedded relevance model, the catalog) live.
 * Found by walking up from this file, so it holds for the sources (tsx) and for the bundles in dist-electron/ alike.
 */
export const appRoot: string = findAppRoot(import.meta.dirname);

function findAppRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'longhand') return dir;
    } catch {
      /* keep walking */
    }
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}
