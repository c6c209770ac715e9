/**
 * The engine inside Electron's utilityProcess: requests arrive from the main process over `process.parentPort`,
 * replies and events go back the same way. Inference runs here, never on the UI's thread.
 */
import { Engine } from '../engine/engine.ts';
import { LonghandError } from '../engine/errors.ts';

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

// PDF export prints through the parent (Electron main's printToPDF) when the parent says it can: the desktop app
// then needs no separate Chromium. Requests carry an id; the parent answers { kind: 'pdf-done', id, error? }.
const printing = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
let nextPrintId = 1;
if (process.env.LONGHAND_PARENT_PRINTS_PDF === '1') {
  engine.services.htmlToPdf = (html, out) =>
    new Promise<void>((resolve, reject) => {
      const id = nextPrintId++;
      printing.set(id, { resolve, reject });
      parentPort.postMessage({ kind: 'pdf', id, html, out });
    });
}

parentPort.on('message', ({ data }) => {
  const msg = data as { kind?: string; id?: number; name?: unknown; args?: unknown; error?: string };
  if (typeof msg.id !== 'number') return;
  if (msg.kind === 'call') {
    void engine.call(msg.name, msg.args).then((reply) => parentPort.postMessage({ kind: 'reply', id: msg.id, reply }));
  } else if (msg.kind === 'pdf-done') {
    const job = printing.get(msg.id);
    printing.delete(msg.id);
    if (msg.error) job?.reject(new LonghandError({ code: 'io', message: `Printing the PDF failed: ${msg.error}`, hint: 'Try again, or export HTML and print it from a browser.' }));
    else job?.resolve();
  }
});
parentPort.postMessage({ kind: 'ready' });
