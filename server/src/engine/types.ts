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

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly pss?: { readonly level: PssLevel; readonly check: string };
  readonly fixes: readonly Fix[];
}
