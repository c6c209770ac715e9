import { parseArgs } from 'node:util';
import { Dtype, ModelRole, type EngineEvent } from '../../contract/contract.ts';
import { UsageError, type Command } from '../command.ts';

const usage = [
  'longhand models list [--catalog] [--json]',
  '       longhand models pull <catalog-id|owner/repo> [--endpoint URL] [--revision R] [--dtype fp32|fp16|q8|q4|q4f16] [--role generator|relevance|nli]',
  '       longhand models import <dir> --role generator|relevance|nli [--copy]',
  '       longhand models remove <id>',
  '       longhand models use <role> <id|none> [--project DIR]',
  '       longhand models cancel <id|repo>      (drops a partial download kept for resuming)',
  '       longhand models hardware [--json]',
].join('\n');

function gb(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GB` : `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '--';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/** One progress line: a bar when stderr is a terminal (redrawn in place), else a line every 10%. */
function progressPrinter(write: (t: string) => void, tty: boolean) {
  let lastDecile = -1;
  return (e: Extract<EngineEvent, { type: 'download.progress' }>) => {
    const frac = e.total > 0 ? Math.min(1, e.bytes / e.total) : 0;
    const speed = `${gb(e.bytesPerSecond)}/s`;
    const eta = e.etaSeconds !== undefined ? `ETA ${duration(e.etaSeconds)}` : '';
    if (tty) {
      const width = 24;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      process.stderr.write(`\r[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ${gb(e.bytes)}/${gb(e.total)} ${speed} ${eta}  `);
      if (e.state && e.state !== 'downloading') process.stderr.write('\n');
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile > lastDecile || (e.state && e.state !== 'downloading')) {
      lastDecile = decile;
      write(`${(frac * 100).toFixed(0)}% ${gb(e.bytes)}/${gb(e.total)} ${speed} ${eta} ${e.state === 'downloading' ? e.file : (e.state ?? '')}`.trim());
    }
  };
}

function choice<T extends string>(value: string | undefined, schema: { options: readonly T[] }, flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(schema.options as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${schema.options.join(', ')}`);
  return value as T;
}

export const models: Command = {
  name: 'models',
  summary: 'Manage models: list, pull from the Hugging Face hub, import a folder, remove, choose per role',
  usage,
  async run(argv, { engine, io }) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        catalog: { type: 'boolean' },
        endpoint: { type: 'string' },
        revision: { type: 'string' },
        dtype: { type: 'string' },
        role: { type: 'string' },
        copy: { type: 'boolean' },
        project: { type: 'string' },
      },
    });
    const [sub, ...rest] = positionals;
    const e = engine();
    switch (sub) {
      case 'list': {
        if (values.catalog) {
          const catalog = await e.request('models.catalog', {});
          if (values.json) return io.out(JSON.stringify(catalog, null, 2)), 0;
          for (const c of catalog) io.out(`${c.id.padEnd(30)} ${c.role.padEnd(10)} ${gb(c.sizeBytes).padStart(9)}  RAM ≥${c.minRamGb} GB  ${c.license.padEnd(11)} ${c.repo}`);
          return 0;
        }
        const list = await e.request('models.list', { project: values.project });
        if (values.json) return io.out(JSON.stringify(list, null, 2)), 0;
        if (list.installed.length === 0) io.out('No models installed. `longhand models list --catalog` shows what can be pulled.');
        for (const m of list.installed) {
          const roles = (Object.keys(list.roles) as ModelRole[]).filter((r) => list.roles[r] === m.id);
          io.out(`${m.id.padEnd(34)} ${m.role.padEnd(10)} ${gb(m.sizeBytes).padStart(9)}  ${m.source}${m.linked ? ' (linked)' : ''}${roles.length ? `  ← ${roles.join(', ')}` : ''}  ${m.dir}`);
        }
        io.out(`roles: ${(Object.keys(list.roles) as ModelRole[]).map((r) => `${r}=${list.roles[r] ?? (r === 'relevance' ? 'built-in' : 'none')}`).join('  ')}`);
        return 0;
      }
      case 'pull': {
        const idOrRepo = rest[0];
        if (!idOrRepo) throw new UsageError('pull needs a catalog id or an owner/repo');
        const print = progressPrinter(io.err, Boolean(process.stderr.isTTY));
        const off = e.onEvent((ev) => {
          if (ev.type === 'download.progress') print(ev);
        });
        const cancel = () => void e.call('models.cancel', { idOrRepo });
        process.once('SIGINT', cancel);
        try {
          const m = await e.request('models.pull', {
            idOrRepo,
            endpoint: values.endpoint,
            revision: values.revision,
            dtype: choice(values.dtype, Dtype, '--dtype'),
            role: choice(values.role, ModelRole, '--role'),
          });
          io.out(`Installed ${m.id} (${m.role}, ${gb(m.sizeBytes)}) in ${m.dir}`);
          return 0;
        } finally {
          off();
          process.off('SIGINT', cancel);
        }
      }
      case 'import': {
        const dir = rest[0];
        const role = choice(values.role, ModelRole, '--role');
        if (!dir || !role) throw new UsageError('import needs a folder and --role');
        const m = await e.request('models.import', { dir, role, copy: values.copy ?? false });
        io.out(`Imported ${m.id} (${m.kind ?? m.role}${m.linked ? ', linked, not copied' : ''}) from ${m.dir}`);
        return 0;
      }
      case 'remove': {
        if (!rest[0]) throw new UsageError('remove needs a model id');
        const r = await e.request('models.remove', { id: rest[0] });
        if (!r.removed) {
          io.err(`longhand models: no installed model "${rest[0]}" (see \`longhand models list\`).`);
          return 1;
        }
        io.out(`Removed ${rest[0]}`);
        return 0;
      }
      case 'use': {
        const role = choice(rest[0], ModelRole, 'role');
        if (!role || !rest[1]) throw new UsageError('use needs a role and a model id (or none)');
        const r = await e.request('models.use', { role, id: rest[1], project: values.project });
        io.out(`${r.role} → ${r.id}${values.project ? ` (project ${values.project})` : ''}`);
        return 0;
      }
      case 'cancel': {
        if (!rest[0]) throw new UsageError('cancel needs a model id or repo');
        const r = await e.request('models.cancel', { idOrRepo: rest[0] });
        io.out(r.cancelled ? `Dropped the partial download of ${rest[0]}` : `Nothing to cancel for ${rest[0]}`);
        return 0;
      }
      case 'hardware': {
        const hw = await e.request('models.hardware', {});
        if (values.json) return io.out(JSON.stringify(hw, null, 2)), 0;
        io.out(
          [
            `Providers    ${hw.providers.join(', ')}`,
            `GPU          ${hw.gpu ?? 'none found'}${hw.vramGb ? ` (${hw.vramGb} GB)` : ''}`,
            `RAM          ${hw.ramGb} GB`,
            `Fits here    ${hw.recommended.join(', ') || 'none of the catalog'}`,
          ].join('\n'),
        );
        return 0;
      }
      default:
        throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'a subcommand is needed');
    }
  },
};
