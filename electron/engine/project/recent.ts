import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from './atomic.ts';

const RecentList = z.array(z.object({ dir: z.string(), openedAt: z.string() }));
const MAX_RECENT = 20;

/** The recent projects list (paths.recent in the data folder), most recent first. */
export async function readRecent(file: string): Promise<string[]> {
  try {
    const parsed = RecentList.safeParse(JSON.parse(await fsp.readFile(file, 'utf8')));
    return parsed.success ? parsed.data.map((r) => r.dir) : [];
  } catch {
    return [];
  }
}

export async function touchRecent(file: string, dir: string): Promise<void> {
  const dirs = [dir, ...(await readRecent(file)).filter((d) => d !== dir)].slice(0, MAX_RECENT);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const now = new Date().toISOString();
  await writeJsonAtomic(file, dirs.map((d) => ({ dir: d, openedAt: now })));
}
