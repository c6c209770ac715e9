import { Engine } from '../engine/engine.ts';
import { version } from '../engine/version.ts';
import { UsageError, type CliIo } from './command.ts';
import { commands } from './commands/index.ts';

const stdio: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `longhand ${version} — write long documents with a local model (plan → draft → rerank → revise)`,
    '',
    'Usage: longhand <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options: --help, --version. `longhand <command> --help` shows a command\'s options.',
    'Data folder: LONGHAND_HOME, else the platform\'s app-data folder (see `longhand doctor`).',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(version);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`longhand: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  let engine: Engine | null = null;
  try {
    return await command.run(rest, { engine: () => (engine ??= new Engine({ host: 'inprocess' })), io });
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`longhand ${name}: ${(err as Error).message}\nUsage: ${command.usage}`);
      return 2;
    }
    const apiError = (err as { apiError?: { message: string; hint?: string; file?: string } }).apiError;
    if (apiError) {
      io.err(`longhand ${name}: ${apiError.message}${apiError.file ? ` (${apiError.file})` : ''}${apiError.hint ? `\n${apiError.hint}` : ''}`);
      return 1;
    }
    io.err(`longhand ${name}: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await (engine as Engine | null)?.dispose();
  }
}
