/** At most `max` jobs at once; the rest wait in order. */
export class Limiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  constructor(readonly max: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}
