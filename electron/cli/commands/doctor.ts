import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';

export const doctor: Command = {
  name: 'doctor',
  summary: 'Check this machine: Node/Electron, onnxruntime providers, data folders, Chromium',
  usage: 'longhand doctor [--json]',
  async run(argv, { engine, io }) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } } });
    const r = await engine().request('system.doctor', {});
    if (values.json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const yes = (b: boolean) => (b ? 'yes' : 'no');
    io.out(
      [
        `Longhand ${r.version}`,
        `Node.js           ${r.node}`,
        `Electron          ${r.electron ?? 'not installed'} (binary present: ${yes(r.electronBinary.present)}${r.electronBinary.path ? `, ${r.electronBinary.path}` : ''})`,
        `Platform          ${r.platform}/${r.arch}, ${r.cpus} CPUs, ${r.ramGb} GB RAM`,
        `onnxruntime-node  ${r.onnxruntime.version ?? 'not loadable'}${r.onnxruntime.error ? ` (${r.onnxruntime.error})` : ''}`,
        `  providers       ${r.onnxruntime.providers.join(', ') || 'none'}`,
        ...(r.onnxruntime.notes ?? []).map((n) => `                  ${n}`),
        `Chromium          ${r.chromium.present ? r.chromium.path : 'not found (set CHROMIUM_PATH, or apt-get install chromium)'}`,
        `Data folder       ${r.home}${process.env.LONGHAND_HOME ? ' (from LONGHAND_HOME)' : ''}`,
        `  projects        ${r.projectsDir}`,
        `  models          ${r.modelsDir}`,
      ].join('\n'),
    );
    return 0;
  },
};
