// Bundles the Electron main process, the sandboxed preload and the engine's utilityProcess entry.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, external: ['electron', 'onnxruntime-node'], logLevel: 'info' };
await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'dist-electron/main.mjs', format: 'esm' }),
  build({ ...common, entryPoints: ['electron/hosts/engine-process.ts'], outfile: 'dist-electron/engine-process.mjs', format: 'esm',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } }),
  build({ ...common, entryPoints: ['electron/main/preload.ts'], outfile: 'dist-electron/preload.cjs', format: 'cjs' }),
]);
