import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';
import type { CatalogEntry, RequestResult } from '../../contract/contract.ts';
import { probeProviders } from '../inference/session.ts';

const run = promisify(execFile);

export interface GpuInfo {
  name: string;
  vramGb: number | null;
}

/** The first NVIDIA GPU as nvidia-smi names it, when nvidia-smi is there. */
export async function nvidiaGpu(): Promise<GpuInfo | null> {
  try {
    const { stdout } = await run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'], { timeout: 5000 });
    return parseNvidiaSmi(stdout);
  } catch {
    return null;
  }
}

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits` (MiB). */
export function parseNvidiaSmi(stdout: string): GpuInfo | null {
  const line = stdout.split('\n').find((l) => l.trim());
  if (!line) return null;
  const cut = line.lastIndexOf(',');
  const name = (cut >= 0 ? line.slice(0, cut) : line).trim();
  const mib = cut >= 0 ? Number(line.slice(cut + 1).trim()) : NaN;
  if (!name) return null;
  return { name, vramGb: Number.isFinite(mib) && mib > 0 ? Math.round((mib / 1024) * 10) / 10 : null };
}

/**
 * Which catalog entries fit this machine: RAM at least the entry's minimum; entries that want VRAM fit when a GPU
 * provider is usable with enough VRAM, or else by RAM alone (they then run on the CPU, slower). Largest first per role.
 */
export function recommend(catalog: CatalogEntry[], ramGb: number, gpu: GpuInfo | null): string[] {
  const fits = catalog.filter((e) => {
    if (e.minVramGb !== undefined && gpu?.vramGb != null && gpu.vramGb >= e.minVramGb) return true;
    return e.minRamGb <= ramGb;
  });
  return fits.sort((a, b) => a.role.localeCompare(b.role) || b.sizeBytes - a.sizeBytes).map((e) => e.id);
}

export async function hardwareReport(catalog: CatalogEntry[]): Promise<RequestResult<'models.hardware'>> {
  // Probed (a session is really created), as doctor does: a listed provider without an adapter is not usable.
  const providers = (await probeProviders()).filter((p) => p.usable).map((p) => p.name);
  const gpu = await nvidiaGpu();
  const ramGb = Math.round((os.totalmem() / 2 ** 30) * 10) / 10;
  return { providers, gpu: gpu?.name ?? null, vramGb: gpu?.vramGb ?? null, ramGb, recommended: recommend(catalog, ramGb, gpu) };
}
