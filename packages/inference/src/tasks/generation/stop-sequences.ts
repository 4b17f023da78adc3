/**
 * Watches generated text for stop sequences. Text that could still turn
 * into a stop sequence is held back from streaming until it cannot.
 */
export class StopSequences {
  constructor(private readonly stops: readonly string[]) {}

  /** Where the earliest stop sequence starts in `text`, if one does. */
  stopIndex(text: string): number | undefined {
    let earliest: number | undefined;
    for (const stop of this.stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (earliest === undefined || at < earliest)) earliest = at;
    }
    return earliest;
  }

  /** How much of `text` can be shown: all but a tail that begins a stop sequence. */
  safeLength(text: string): number {
    let held = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > held; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          held = length;
          break;
        }
      }
    }
    return text.length - held;
  }
}
