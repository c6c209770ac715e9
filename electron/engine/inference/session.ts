/**
 * ONNX Runtime sessions on the best execution provider this machine can use: the user's GPU first
 * (cuda, dml, coreml, webgpu, in the platform's order), then the CPU, with the reason a GPU was not used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import type { ExecutionProvider } from '../../contract/contract.ts';
import { GraphBuilder } from '../../../models/builder/onnx.ts';

export interface ProviderInfo {
  name: ExecutionProvider;
  /** Whether a session may be created on it here (it may still fail at session creation, e.g. no adapter). */
  usable: boolean;
  /** Why it is not usable, or a caveat. */
  note?: string;
}

export interface SessionResult {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
  /** Set when a GPU provider was requested or preferred but the CPU was used: why. */
  fallbackReason?: string;
}

export interface CreateSessionOptions {
  /** Providers to try in order; default: this platform's GPU providers, then cpu. */
  providers?: readonly ExecutionProvider[];
  /**
   * Outputs to keep on the device between runs (KV cache) where the provider supports it (cuda, webgpu).
   * Ignored on cpu.
   */
  deviceOutputs?: readonly string[];
  /** Threads for the CPU provider; default: ORT's choice. */
  intraOpNumThreads?: number;
}

const require = createRequire(import.meta.url);

/** The GPU providers worth trying on this platform, in order of preference. */
export function gpuProvidersFor(platform: NodeJS.Platform = process.platform): ExecutionProvider[] {
  if (platform === 'win32') return ['cuda', 'dml', 'webgpu'];
  if (platform === 'darwin') return ['coreml', 'webgpu'];
  if (platform === 'linux') return ['cuda', 'webgpu'];
  return [];
}

function ortBinaryDir(): string | null {
  try {
    const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/** onnxruntime-node lists cuda even when its provider libraries were never downloaded: check the files. */
function cudaLibsPresent(): boolean {
  const dir = ortBinaryDir();
  if (!dir || !fs.existsSync(dir)) return false;
  return fs.readdirSync(dir).some((f) => /onnxruntime_providers_cuda\.(so|dll)/.test(f));
}

/** What doctor shows: every provider onnxruntime-node was built with, and whether it can be used here. */
export function usableProviders(): ProviderInfo[] {
  let listed: Array<{ name: string; bundled: boolean }>;
  try {
    listed = ort.listSupportedBackends();
  } catch (err) {
    return [{ name: 'cpu', usable: false, note: `onnxruntime-node failed to load: ${(err as Error).message}` }];
  }
  const names = new Set(listed.map((b) => b.name));
  const out: ProviderInfo[] = [];
  for (const name of ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const) {
    if (!names.has(name)) continue;
    if (name === 'cuda') {
      const present = cudaLibsPresent();
      out.push({
        name,
        usable: present,
        note: present
          ? 'needs an NVIDIA driver with CUDA 12 and cuDNN 9 at run time'
          : 'listed by onnxruntime-node, but its CUDA provider libraries were not downloaded (offline install, or no NVIDIA GPU at install time); run `node scripts/postinstall.mjs` online with an NVIDIA GPU',
      });
    } else if (name === 'webgpu') {
      out.push({ name, usable: true, note: 'needs a GPU adapter (Vulkan/Metal/D3D12) at run time' });
    } else {
      out.push({ name, usable: true });
    }
  }
  return out;
}

function providerUnavailableReason(name: ExecutionProvider, infos: ProviderInfo[]): string | null {
  const info = infos.find((i) => i.name === name);
  if (!info) return `${name} is not built into onnxruntime-node on ${process.platform}-${process.arch}`;
  if (!info.usable) return `${name}: ${info.note ?? 'not usable'}`;
  return null;
}

/** ORT's messages start with a source path and a C++ signature; keep the sentence a person can read. */
export function readableOrtError(message: string): string {
  const failed = /(Failed to [^\n]*)/.exec(message);
  const line = failed?.[1] ?? message.split('\n').find((l) => l.trim()) ?? message;
  return line.trim().slice(0, 300);
}

/** Providers that already failed in this process (no adapter, missing libraries): not retried per model load. */
const failedProviders = new Map<ExecutionProvider, string>();

/**
 * Creates a session on the first provider that works. Errors other than "provider not available"
 * (a broken model file) are thrown as-is so the caller can name the file.
 */
export async function createSession(modelPath: string | Uint8Array, options: CreateSessionOptions = {}): Promise<SessionResult> {
  const explicit = options.providers !== undefined;
  const order: ExecutionProvider[] = explicit ? [...options.providers!] : [...gpuProvidersFor(), 'cpu'];
  if (!order.includes('cpu')) order.push('cpu');
  const infos = usableProviders();
  const reasons: string[] = [];
  for (const provider of order) {
    if (provider !== 'cpu') {
      const unavailable = providerUnavailableReason(provider, infos) ?? failedProviders.get(provider);
      if (unavailable) {
        reasons.push(unavailable);
        continue;
      }
    }
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    };
    if (options.intraOpNumThreads) sessionOptions.intraOpNumThreads = options.intraOpNumThreads;
    if (provider !== 'cpu' && options.deviceOutputs?.length && (provider === 'cuda' || provider === 'webgpu')) {
      sessionOptions.preferredOutputLocation = Object.fromEntries(options.deviceOutputs.map((n) => [n, 'gpu-buffer' as const]));
    }
    try {
      const session = await ort.InferenceSession.create(modelPath as string, sessionOptions);
      const result: SessionResult = { session, provider };
      if (provider === 'cpu' && reasons.length) result.fallbackReason = `using the CPU: ${reasons.join('; ')}`;
      return result;
    } catch (err) {
      if (provider === 'cpu') throw err;
      const reason = `${provider} failed: ${readableOrtError((err as Error).message)}`;
      // A model-specific failure (an op the provider lacks) should not disable the provider for other models.
      if (/adapter|shared library|Failed to load/i.test(reason)) failedProviders.set(provider, reason);
      reasons.push(reason);
    }
  }
  throw new Error('unreachable: the cpu provider is always tried');
}

/**
 * usableProviders(), with each GPU provider actually tried on a one-node model (a missing adapter or driver only
 * shows when a session is created). For doctor; takes milliseconds.
 */
export async function probeProviders(): Promise<ProviderInfo[]> {
  const g = new GraphBuilder('probe');
  g.input('x', 'float32', [1]);
  g.node('Relu', ['x'], ['y']);
  g.output('y', 'float32', [1]);
  const model = g.toModelBytes({ opset: 17 }).model;
  const out: ProviderInfo[] = [];
  for (const info of usableProviders()) {
    if (info.name === 'cpu' || !info.usable) {
      out.push(info);
      continue;
    }
    const { session, provider, fallbackReason } = await createSession(model, { providers: [info.name] });
    await session.release();
    out.push(provider === info.name ? { ...info, note: 'works here' } : { name: info.name, usable: false, note: fallbackReason?.replace(/^using the CPU: /, '').replace(`${info.name} failed: `, '') });
  }
  return out;
}
