// `npm start`: the desktop app under Electron when its binary can be had, else browser mode.
// The `electron` package's binary is fetched here (not at install, so installs never fail offline).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function electronBinary() {
  try {
    const dir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(dir, 'path.txt');
    if (!fs.existsSync(pathFile)) {
      console.log('Fetching the Electron binary…');
      const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { encoding: 'utf8', cwd: dir, timeout: 10 * 60_000 });
      if (r.status !== 0 || !fs.existsSync(pathFile)) {
        const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n').find((l) => l.trim()) ?? (r.error?.message || 'unknown error');
        console.log(`Could not fetch the Electron binary (${why.trim()}).`);
        return null;
      }
    }
    const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const forceWeb = process.argv.includes('--web') || process.env.LONGHAND_WEB === '1';
const bin = forceWeb ? null : electronBinary();
if (bin) {
  const build = spawnSync(npm, ['run', 'build'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const child = spawn(bin, [root], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!forceWeb) console.log('The Electron binary is not available on this machine: starting browser mode instead.');
  const child = spawn(npm, ['run', 'web'], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
}
