/**
 * Image answers, gathered. Lookups answer one image at a time (a cold lookup of a 1,000-workload file is hundreds
 * of answers over seconds); acting on each would re-judge a file once per image, which kept the server busy for
 * minutes on such a file and delayed every edit's diagnostics. The references answered within one window are
 * handed on together, once: a file is re-judged once per window. Pure but for the timer, which is injected.
 */

/** How long image answers are gathered before the documents naming them are judged again. */
export const IMAGE_BATCH_MS = 150;

/** Runs `callback` after `ms`; returns what cancels it. */
export type ScheduleTimer = (callback: () => void, ms: number) => () => void;

const realTimer: ScheduleTimer = (callback, ms) => {
  const handle = setTimeout(callback, ms);
  return () => clearTimeout(handle);
};

export class ImageAnswerBatch {
  private readonly gathered = new Set<string>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly answered: (references: readonly string[]) => void,
    private readonly windowMs = IMAGE_BATCH_MS,
    private readonly schedule: ScheduleTimer = realTimer,
  ) {}

  /** References that just got an answer: handed on at the end of the window the first of them opened. */
  add(references: readonly string[]): void {
    if (!references.length) return;
    for (const r of references) this.gathered.add(r);
    this.cancel ??= this.schedule(() => this.flush(), this.windowMs);
  }

  private flush(): void {
    this.cancel = undefined;
    const references = [...this.gathered];
    this.gathered.clear();
    if (references.length) this.answered(references);
  }

  /** Drops what is gathered; nothing is handed on after this. */
  dispose(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.gathered.clear();
  }
}
