import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ProjectSummary } from '../../contract/contract.ts';
import { writeJsonAtomic } from '../fs/atomic.ts';

const RecentEntry = z.object({ dir: z.string(), openedAt: z.string(), summary: ProjectSummary.optional() });
type RecentEntry = z.infer<typeof RecentEntry>;
const MAX_RECENT = 20;

/** The recent projects list (paths.recent in the data folder), most recent first, with each one's last known summary. */
export async function readRecent(file: string): Promise<RecentEntry[]> {
  try {
    const parsed = z.array(RecentEntry).safeParse(JSON.parse(await fsp.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

async function write(file: string, entries: RecentEntry[]): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await writeJsonAtomic(file, entries.slice(0, MAX_RECENT));
}

/** Moves `dir` to the top (it was just opened or created). */
export async function touchRecent(file: string, dir: string, summary?: ProjectSummary): Promise<void> {
  const rest = (await readRecent(file)).filter((e) => e.dir !== dir);
  await write(file, [{ dir, openedAt: new Date().toISOString(), ...(summary ? { summary } : {}) }, ...rest]);
}

/** Refreshes the cached summary of `dir` in place (on close), so the list needs no project reads. */
export async function updateRecentSummary(file: string, summary: ProjectSummary): Promise<void> {
  const entries = await readRecent(file);
  const i = entries.findIndex((e) => e.dir === summary.dir);
  if (i < 0) return;
  entries[i] = { ...entries[i]!, summary };
  await write(file, entries);
}
