// Runs after `npm install`. It never fails the install: it only adds what this machine can use.
//
// onnxruntime-node ships its CPU (and WebGPU) binaries inside the npm package; its own install script only
// downloads the CUDA provider libraries on Linux x64, which fails offline. We keep that script disabled in
// package.json's allowScripts and run it here ourselves, only where an NVIDIA GPU is present and the user
// has not opted out (ONNXRUNTIME_NODE_INSTALL=skip), and tolerate its failure: the app then runs on CPU and
// `longhand doctor` says why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function hasNvidiaGpu() {
  if (process.platform !== 'linux' && process.platform !== 'win32') return false;
  if (fs.existsSync('/proc/driver/nvidia/version')) return true;
  const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && /GPU \d/.test(r.stdout);
}

function ortCudaInstalled(ortDir) {
  const dir = path.join(ortDir, 'bin', 'napi-v6', process.platform, process.arch);
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /onnxruntime_providers_cuda/.test(f));
}

function main() {
  const flag = process.env.ONNXRUNTIME_NODE_INSTALL ?? process.env.npm_config_onnxruntime_node_install;
  if (flag === 'skip' || flag === 'false') return;
  if (process.platform !== 'linux' || process.arch !== 'x64') return; // Windows builds bundle DirectML; macOS uses CoreML.
  if (!hasNvidiaGpu()) return;
  let ortDir;
  try {
    ortDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
  } catch {
    return;
  }
  if (ortCudaInstalled(ortDir)) return;
  console.log('longhand: NVIDIA GPU found; fetching the CUDA provider for onnxruntime-node (set ONNXRUNTIME_NODE_INSTALL=skip to skip)…');
  const r = spawnSync(process.execPath, [path.join(ortDir, 'script', 'install.js')], {
    cwd: ortDir,
    stdio: 'inherit',
    timeout: 15 * 60_000,
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
  });
  if (r.status !== 0) {
    console.warn('longhand: the CUDA provider could not be installed (offline?). Longhand will run on the CPU; rerun `npm rebuild longhand` or `node scripts/postinstall.mjs` when online.');
  }
}

try {
  main();
} catch (err) {
  console.warn(`longhand: postinstall skipped GPU setup: ${err?.message ?? err}`);
}
