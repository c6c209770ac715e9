/**
 * Groups streamed token fragments per animation frame: many `push` calls between two frames become one `flush`
 * with the text of each passage concatenated in arrival order, so the editor does one update per frame.
 */
export interface TokenChunk {
  passageId: string;
  pointId: string;
  text: string;
}

export type FrameScheduler = (cb: () => void) => () => void;

export const animationFrameScheduler: FrameScheduler = (cb) => {
  const id = requestAnimationFrame(cb);
  return () => cancelAnimationFrame(id);
};

export class TokenBatcher {
  private pending: TokenChunk[] = [];
  private cancel: (() => void) | null = null;

  constructor(
    private readonly flush: (chunks: TokenChunk[]) => void,
    private readonly schedule: FrameScheduler = animationFrameScheduler,
  ) {}

  push(chunk: TokenChunk): void {
    const last = this.pending[this.pending.length - 1];
    if (last && last.passageId === chunk.passageId) last.text += chunk.text;
    else this.pending.push({ ...chunk });
    if (!this.cancel) this.cancel = this.schedule(() => this.run());
  }

  /** Flushes now (e.g. before a passage is accepted, so no fragment arrives after its final text). */
  drain(): void {
    this.cancel?.();
    this.run();
  }

  dispose(): void {
    this.cancel?.();
    this.cancel = null;
    this.pending = [];
  }

  get size(): number {
    return this.pending.length;
  }

  private run(): void {
    this.cancel = null;
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.flush(chunks);
  }
}
