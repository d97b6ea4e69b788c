/** Core value types shared by every part of the engine. Offsets are UTF-16 code unit offsets into the analysed text. */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeverityOverride = Severity | 'off';
export type Profile = 'restricted' | 'baseline' | 'privileged';
export type PssLevel = 'baseline' | 'restricted';

/** A replacement of [start, end) by newText; `file` set when the edit targets another file (e.g. a Dockerfile). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
  readonly file?: string;
}

export type FixSafety = 'safe' | 'unsafe';

export interface Fix {
  readonly title: string;
  readonly safety: FixSafety;
  /** The canonical fix for its finding (LSP `isPreferred`, applied by `--fix`). */
  readonly preferred?: boolean;
  readonly edits: readonly TextEdit[];
}

/**
 * The Pod Security check behind a finding, with the admission controller's own wording (`reason (detail)`,
 * as `kubectl apply` prints it), the detail narrowed to the finding's place.
 */
export interface PssFinding {
  readonly level: PssLevel;
  readonly check: string;
  readonly reason: string;
  readonly detail: string;
}

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** Set for a Pod Security finding: the upstream check, and the admission controller's words for this place. */
  readonly pss?: PssFinding;
  /**
   * A cause shared by several containers and reported once, on the pod (no level sets runAsNonRoot): the spans of
   * those containers' items (as their EffectiveContext.span), so a container's card and verdict include it.
   */
  readonly containers?: readonly Span[];
  readonly fixes: readonly Fix[];
}
