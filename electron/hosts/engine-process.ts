/**
 * The engine inside Electron's utilityProcess: requests arrive from the main process over `process.parentPort`,
 * replies and events go back the same way. Inference runs here, never on the UI's thread.
 */
import { Engine } from '../engine/engine.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('engine-process must be started by Electron as a utilityProcess.');
  process.exit(2);
}

const engine = new Engine({ host: 'electron' });
engine.onEvent((event) => parentPort.postMessage({ kind: 'event', event }));
parentPort.on('message', ({ data }) => {
  const msg = data as { kind?: string; id?: number; name?: unknown; args?: unknown };
  if (msg.kind !== 'call' || typeof msg.id !== 'number') return;
  void engine.call(msg.name, msg.args).then((reply) => parentPort.postMessage({ kind: 'reply', id: msg.id, reply }));
});
parentPort.postMessage({ kind: 'ready' });
