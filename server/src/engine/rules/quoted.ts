/**
 * Double-quoted strings in messages (`container "app" must …`), found in one left-to-right pass.
 * The regular expression `/"(?:[^"\\]|\\.)*"/g` retries from every position after an unclosed quote and
 * is quadratic on hostile text (`\"\"\"…`); this scanner never looks at a character twice.
 */

/** The message split around its quoted strings, as `String.split(/("(?:[^"\\]|\\.)*")/)` would: text, quoted, text, …, text. */
export function splitQuoted(message: string): string[] {
  const parts: string[] = [];
  let text = 0;
  let i = 0;
  while (i < message.length) {
    if (message[i] !== '"') { i++; continue; }
    let j = i + 1;
    while (j < message.length && message[j] !== '"') j += message[j] === '\\' ? 2 : 1;
    if (j >= message.length) break; // unclosed: the rest is text
    parts.push(message.slice(text, i), message.slice(i, j + 1));
    text = i = j + 1;
  }
  parts.push(message.slice(text));
  return parts;
}

/** The contents of the quoted strings, escapes left as written (as the capture group of the regex gives them). */
export function quotedContents(text: string): string[] {
  return splitQuoted(text).filter((_, k) => k % 2 === 1).map((q) => q.slice(1, -1));
}

/**
 * `"a", "b", "c"` at the start of `text` (names separated by `, `): where the list ends, or -1 when `text`
 * does not start with a quoted name. Names hold no quotes (`"[^"]*"`).
 */
export function quotedListEnd(text: string): number {
  let i = 0;
  for (;;) {
    if (text[i] !== '"') return i === 0 ? -1 : i;
    const close = text.indexOf('"', i + 1);
    if (close < 0) return i === 0 ? -1 : i;
    i = close + 1;
    if (text.startsWith(', "', i)) i += 2;
  }
}
