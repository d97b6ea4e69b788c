/**
 * The first analysis of a long YAML stream, a slice at a time. A 5 MB stream of manifests takes seconds to parse
 * and judge (the YAML parser alone is most of it), and the server has one thread: done in one go, it would leave
 * every hover, edit and other file waiting that long. Its documents are analysed in order, SLICE_MS of work at a
 * time with a turn of the event loop between (requests are answered there; a hover on a document not reached yet
 * analyses that one document). The documents analysed so far are published after the first slice — the top of the
 * file, what the editor shows first — then every PUBLISH_MS, and all of them at the end through the usual path.
 * Edits (one document to analyse) and files under PROGRESSIVE_MIN_LENGTH are analysed at once and never notice.
 */
import { performance } from 'node:perf_hooks';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { FileAnalysis } from '../engine/analyze';

/**
 * Streams shorter than this are analysed in one go (a pause of a few hundred milliseconds at most on a slow machine),
 * so their first publication is always complete.
 */
export const PROGRESSIVE_MIN_LENGTH = 256 * 1024;
/** Work per slice before the event loop gets a turn. */
export const SLICE_MS = 40;
/** How often the documents analysed so far are published while a stream is analysed. */
export const PUBLISH_MS = 1000;

export interface ProgressiveHost {
  /** Whether `analysis` is still the one in force for the document (no edit, close or new settings since). */
  current(uri: string, analysis: FileAnalysis): boolean;
  /** Publishes the documents analysed so far (`analysed` of `total`). */
  partial(uri: string, analysed: number, total: number): void;
  /** Every document is analysed: publish as usual. */
  done(uri: string): void;
  /** The document's slices stopped (all analysed, or the analysis is no longer in force): before `done`, if any. */
  ended(uri: string): void;
}

/** Analyses documents in order until all are or `ms` have passed; true when all are. */
function analyseFor(analysis: FileAnalysis, ms: number, now: () => number): boolean {
  const until = now() + ms;
  for (const unit of analysis.documents) {
    if (unit.analysed) continue;
    if (now() >= until) return false;
    void unit.analysis;
  }
  return true;
}

export class ProgressiveAnalyses {
  /** The analysis each document's slices are working through. */
  private readonly running = new Map<string, FileAnalysis>();

  constructor(private readonly host: ProgressiveHost, private readonly now: () => number = () => performance.now()) {}

  /**
   * Runs one slice of `analysis` (of a text `length` long; a short one all at once). True when every document is analysed (the caller goes on as usual); otherwise the
   * documents analysed so far are published and the rest follow in the background, ending in `host.done`.
   */
  advance(uri: string, analysis: FileAnalysis, length: number): boolean {
    if (analyseFor(analysis, length < PROGRESSIVE_MIN_LENGTH ? Infinity : SLICE_MS, this.now)) {
      // An earlier version's slices, if any, stop here (theirs would find they are superseded).
      if (this.running.delete(uri)) this.host.ended(uri);
      return true;
    }
    if (this.running.get(uri) !== analysis) {
      this.running.set(uri, analysis);
      this.partial(uri, analysis);
      this.next(uri, analysis, this.now());
    }
    return false;
  }

  /** Whether `analysis` of the document is still being worked through (its diagnostics so far are partial). */
  inProgress(uri: string, analysis: FileAnalysis): boolean {
    return this.running.get(uri) === analysis;
  }

  private partial(uri: string, analysis: FileAnalysis): void {
    let analysed = 0;
    for (const unit of analysis.documents) if (unit.analysed) analysed++;
    this.host.partial(uri, analysed, analysis.documents.length);
  }

  private next(uri: string, analysis: FileAnalysis, published: number): void {
    setImmediate(() => {
      // Superseded by a newer version's slices, which carry on for the document.
      if (this.running.get(uri) !== analysis) return;
      if (!this.host.current(uri, analysis)) {
        this.running.delete(uri);
        this.host.ended(uri);
        return;
      }
      let finished: boolean;
      try {
        finished = analyseFor(analysis, SLICE_MS, this.now);
      } catch {
        // The usual path analyses it again, and reports the failure as it reports any.
        finished = true;
      }
      if (finished) {
        this.running.delete(uri);
        this.host.ended(uri);
        this.host.done(uri);
        return;
      }
      if (this.now() - published >= PUBLISH_MS) {
        this.partial(uri, analysis);
        published = this.now();
      }
      this.next(uri, analysis, published);
    });
  }
}

/** Work-done progress per document being worked through: begun on its first report, ended once. */
export class AnalysisProgress {
  private readonly reporters = new Map<string, Promise<WorkDoneProgressServerReporter | undefined>>();

  constructor(private readonly create: () => Promise<WorkDoneProgressServerReporter>) {}

  report(title: string, uri: string, analysed: number, total: number): void {
    const percentage = Math.floor((analysed * 100) / total);
    const message = `${analysed.toLocaleString('en')} of ${total.toLocaleString('en')} documents`;
    const reporter = this.reporters.get(uri);
    if (reporter) {
      void reporter.then((r) => r?.report(percentage, message));
      return;
    }
    this.reporters.set(uri, this.create().then((r) => {
      r.begin(title, percentage, message, false);
      return r;
    }, () => undefined));
  }

  end(uri: string): void {
    void this.reporters.get(uri)?.then((r) => r?.done());
    this.reporters.delete(uri);
  }
}
