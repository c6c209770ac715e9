/**
 * The engine inside Electron's utilityProcess: requests arrive from the main process over `process.parentPort`,
 * replies and events go back the same way. Inference runs here, never on the UI's thread.
 */
import { Engine } from '../engine/engine.ts';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

// Electron's utilityProcess gives `process.parentPort`; Node's child_process.fork gives `process.send` (the tests
// drive the bundled entry that way, over the same messages).
const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const parentPort: ParentPort | null =
  electronPort ??
  (process.send
    ? {
        on: (_event, listener) => process.on('message', (data) => listener({ data })),
        postMessage: (message) => process.send!(message),
      }
    : null);
if (!parentPort) {
  console.error('engine-process must be started by Electron as a utilityProcess (or by child_process.fork).');
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
