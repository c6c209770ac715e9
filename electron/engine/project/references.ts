import fsp from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../errors.ts';
import { writeFileAtomic, fsyncDir } from '../fs/atomic.ts';
import { Files, safeName } from './format.ts';

/** Reference documents: plain text files in references/, one per name (safe names only). Each add is atomic. */
export class ReferenceStore {
  constructor(private readonly projectDir: string) {}

  private file(name: string): string {
    return path.join(this.projectDir, Files.references, safeName(name, 'Reference'));
  }

  async add(name: string, text: string): Promise<void> {
    const file = this.file(name);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, text);
  }

  async list(): Promise<Array<{ name: string; bytes: number }>> {
    const dir = path.join(this.projectDir, Files.references);
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      return [];
    }
    const out: Array<{ name: string; bytes: number }> = [];
    for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
      const st = await fsp.stat(path.join(dir, name));
      if (st.isFile()) out.push({ name, bytes: st.size });
    }
    return out;
  }

  async remove(name: string): Promise<boolean> {
    const file = this.file(name);
    try {
      await fsp.rm(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    await fsyncDir(path.dirname(file));
    return true;
  }

  async text(name: string): Promise<string> {
    const file = this.file(name);
    try {
      return await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') fail('not_found', `No reference document named ${JSON.stringify(name)}.`, { field: 'name', hint: 'List them with reference.list.' });
      throw err;
    }
  }
}
