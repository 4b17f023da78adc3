/** What this worker has done, for its heartbeat and metrics. */
export class JobCounters {
  inFlight = 0;
  done = 0;
  failed = 0;

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      const result = await work();
      this.done++;
      return result;
    } catch (error) {
      this.failed++;
      throw error;
    } finally {
      this.inFlight--;
    }
  }
}
