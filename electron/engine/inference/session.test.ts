import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../models/builder/onnx.ts';
import { createSession, gpuProvidersFor, readableOrtError, usableProviders } from './session.ts';

function reluModel(): Uint8Array {
  const g = new GraphBuilder('relu');
  g.input('x', 'float32', ['n']);
  g.node('Relu', ['x'], ['y']);
  g.output('y', 'float32', ['n']);
  return g.toModelBytes({ opset: 17 }).model;
}

describe('createSession', () => {
  it('runs on cpu when asked for cpu only, with no fallback reason', async () => {
    const { session, provider, fallbackReason } = await createSession(reluModel(), { providers: ['cpu'] });
    expect(provider).toBe('cpu');
    expect(fallbackReason).toBeUndefined();
    const { y } = await session.run({ x: new ort.Tensor('float32', new Float32Array([-1, 2]), [2]) });
    expect(Array.from(y!.data as Float32Array)).toEqual([0, 2]);
    await session.release();
  });

  it('tries the GPU first and says why it fell back to the CPU', async () => {
    const { session, provider, fallbackReason } = await createSession(reluModel());
    if (provider === 'cpu') {
      // On a machine without a usable GPU (CI), the reason names each GPU provider that was tried.
      expect(fallbackReason).toMatch(/^using the CPU: /);
      for (const p of gpuProvidersFor()) expect(fallbackReason).toContain(p);
    } else {
      console.log(`GPU provider in use: ${provider}`);
      expect(gpuProvidersFor()).toContain(provider);
    }
    await session.release();
  });

  it('a provider not built for this platform is reported, not fatal', async () => {
    const notHere = process.platform === 'darwin' ? 'dml' : 'coreml';
    const { provider, fallbackReason } = await createSession(reluModel(), { providers: [notHere] });
    expect(provider).toBe('cpu');
    expect(fallbackReason).toContain(`${notHere} is not built into onnxruntime-node`);
  });

  it('a broken model is thrown, not swallowed as a provider failure', async () => {
    await expect(createSession(new Uint8Array([1, 2, 3, 4]), { providers: ['cpu'] })).rejects.toThrow();
  });
});

describe('usableProviders', () => {
  it('always includes cpu, and marks cuda unusable when its libraries are absent', () => {
    const infos = usableProviders();
    expect(infos.find((i) => i.name === 'cpu')?.usable).toBe(true);
    const cuda = infos.find((i) => i.name === 'cuda');
    if (cuda && !cuda.usable) expect(cuda.note).toMatch(/not downloaded/);
  });

  it('keeps the readable part of ORT messages', () => {
    expect(readableOrtError('/src/x.cc:129 onnxruntime::Foo() cond was false. Failed to get a WebGPU adapter: No supported adapters'))
      .toBe('Failed to get a WebGPU adapter: No supported adapters');
  });
});
