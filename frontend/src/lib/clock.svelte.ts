/** A ticking "now" for relative times, so "2 min ago" stays true. */
export class Clock {
  now = $state(Date.now());

  /** start ticks every intervalMs and returns the function that stops it. */
  start(intervalMs = 20_000): () => void {
    this.now = Date.now();
    const id = setInterval(() => {
      this.now = Date.now();
    }, intervalMs);
    return () => clearInterval(id);
  }
}
