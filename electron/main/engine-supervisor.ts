import { utilityProcess, type UtilityProcess } from 'electron';
import type { ApiError, EngineEvent, Reply, RequestName } from '../contract/contract.ts';
import { printHtmlToPdf } from './pdf.ts';

type Pending = { resolve: (reply: Reply<RequestName>) => void };

/**
 * Runs the engine in a utilityProcess, forwards calls and events, and restarts it with exponential backoff
 * if it dies. Calls in flight when it dies get a clear error rather than hanging.
 */
export class EngineSupervisor {
  private child: UtilityProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private backoffMs = 500;
  private stopped = false;
  private readonly entry: string;
  private readonly onEvent: (event: EngineEvent) => void;

  constructor(entry: string, onEvent: (event: EngineEvent) => void) {
    this.entry = entry;
    this.onEvent = onEvent;
  }

  start(): void {
    const child = utilityProcess.fork(this.entry, [], { serviceName: 'Longhand engine', stdio: 'inherit', env: { ...process.env, LONGHAND_PARENT_PRINTS_PDF: '1' } });
    this.child = child;
    const startedAt = Date.now();
    child.on('message', (msg: { kind: string; id?: number; reply?: Reply<RequestName>; event?: EngineEvent; html?: string; out?: string }) => {
      if (msg.kind === 'pdf' && msg.id !== undefined && typeof msg.html === 'string' && typeof msg.out === 'string') {
        const id = msg.id;
        printHtmlToPdf(msg.html, msg.out).then(
          () => child.postMessage({ kind: 'pdf-done', id }),
          (err: Error) => child.postMessage({ kind: 'pdf-done', id, error: err.message }),
        );
      } else if (msg.kind === 'reply' && msg.id !== undefined && msg.reply) {
        this.pending.get(msg.id)?.resolve(msg.reply);
        this.pending.delete(msg.id);
      } else if (msg.kind === 'event' && msg.event) {
        this.onEvent(msg.event);
      } else if (msg.kind === 'ready') {
        this.onEvent({ type: 'engine.health', ok: true });
      }
    });
    child.on('exit', (code) => {
      this.child = null;
      const error: ApiError = { code: 'internal', message: `The engine process exited (code ${code}) while handling this request.`, hint: 'It restarts by itself; try again.' };
      for (const p of this.pending.values()) p.resolve({ ok: false, error });
      this.pending.clear();
      if (this.stopped) return;
      this.onEvent({ type: 'engine.health', ok: false, message: `Engine exited with code ${code}; restarting in ${this.backoffMs} ms.` });
      if (Date.now() - startedAt > 60_000) this.backoffMs = 500; // it ran fine for a while: reset
      setTimeout(() => this.start(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
    });
  }

  call(name: unknown, args: unknown): Promise<Reply<RequestName>> {
    const child = this.child;
    if (!child) return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'The engine is restarting.', hint: 'Try again in a moment.' } });
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      child.postMessage({ kind: 'call', id, name, args });
    });
  }

  stop(): void {
    this.stopped = true;
    this.child?.kill();
  }
}
