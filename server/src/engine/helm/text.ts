/**
 * Rendered text with a source map: every piece of output remembers the template text or the values
 * scalar it came from. `indent`/`nindent` shift the map line by line, as they shift the text.
 */
import type { Seg, Src, VStr } from './values';

export class Out {
  private readonly parts: string[] = [];
  private length = 0;
  readonly segs: Seg[] = [];
  /** The text of the line being written, up to now (for "is this action inline?"). */
  private lineTail = '';

  get size(): number {
    return this.length;
  }

  write(text: string, seg?: Omit<Seg, 'at' | 'len'>): void {
    if (!text && !seg?.unknown) return;
    if (seg) this.segs.push({ ...seg, at: this.length, len: text.length });
    this.parts.push(text);
    this.length += text.length;
    const nl = text.lastIndexOf('\n');
    this.lineTail = nl >= 0 ? text.slice(nl + 1) : this.lineTail + text;
  }

  append(s: VStr): void {
    for (const seg of s.segs) this.segs.push({ ...seg, at: seg.at + this.length });
    this.parts.push(s.text);
    this.length += s.text.length;
    const nl = s.text.lastIndexOf('\n');
    this.lineTail = nl >= 0 ? s.text.slice(nl + 1) : this.lineTail + s.text;
  }

  /** True when the current line already holds something other than spaces (`key: {{ … }}`). */
  inline(): boolean {
    return /\S/.test(this.lineTail);
  }

  toStr(): VStr {
    return { t: 'str', text: this.parts.join(''), segs: this.segs };
  }
}

export function str(text: string, src?: Src, via?: Src): VStr {
  return { t: 'str', text, segs: src || via ? [{ at: 0, len: text.length, src, via }] : [] };
}

export function concat(parts: readonly VStr[]): VStr {
  const out = new Out();
  for (const p of parts) out.append(p);
  return out.toStr();
}

function subSrc(seg: Seg, from: number, to: number): Src | undefined {
  const src = seg.src;
  if (!src) return undefined;
  if (src.end - src.start !== seg.len) return src;
  return { file: src.file, start: src.start + from, end: src.start + to };
}

/** sprig `indent`: every line prefixed with n spaces, the map shifted to match. */
export function indent(s: VStr, n: number, leadingNewline = false): VStr {
  const pad = ' '.repeat(Math.max(0, n));
  const head = leadingNewline ? '\n' : '';
  const text = head + pad + s.text.replace(/\n/g, '\n' + pad);
  // New offset of old index i: i + head + pad * (1 + newlines before i).
  const lineStarts: number[] = [];
  for (let i = s.text.indexOf('\n'); i >= 0; i = s.text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const shift = (i: number): number => {
    let lo = 0, hi = lineStarts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (lineStarts[mid] <= i) lo = mid + 1; else hi = mid; }
    return i + head.length + pad.length * (1 + lo);
  };
  const segs: Seg[] = [];
  for (const seg of s.segs) {
    // Split at newlines so each piece shifts with its line.
    let from = 0;
    const end = seg.len;
    while (from < end || (end === 0 && from === 0)) {
      const nl = s.text.indexOf('\n', seg.at + from);
      const to = nl < 0 || nl >= seg.at + end ? end : nl - seg.at + 1;
      segs.push({ ...seg, at: shift(seg.at + from), len: to - from, src: subSrc(seg, from, to) });
      if (end === 0) break;
      from = to;
    }
  }
  return { t: 'str', text, segs };
}

/** Trims like Go's strings.TrimSpace, keeping the map. */
export function trimSpace(s: VStr): VStr {
  const start = s.text.length - s.text.trimStart().length;
  const end = s.text.trimEnd().length;
  return slice(s, start, Math.max(start, end));
}

export function slice(s: VStr, start: number, end: number): VStr {
  const segs: Seg[] = [];
  for (const seg of s.segs) {
    const a = Math.max(seg.at, start), b = Math.min(seg.at + seg.len, end);
    if (b < a || (b === a && seg.len > 0)) continue;
    segs.push({ ...seg, at: a - start, len: b - a, src: subSrc(seg, a - seg.at, b - seg.at) });
  }
  return { t: 'str', text: s.text.slice(start, end), segs };
}
