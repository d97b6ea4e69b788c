/**
 * Where shell commands are in a host file: the whole of a script, the recipe lines of a
 * Makefile, the shell code blocks of a Markdown file (after the `$ ` prompts of console blocks).
 */
import type { DockerRunHost } from './detect';
import type { Dialect } from './shell';

export interface ShellRegion {
  readonly start: number;
  readonly end: number;
  readonly dialect: Dialect;
}

interface Line {
  readonly start: number;
  /** End of the content, before the line break. */
  readonly end: number;
  readonly text: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let nl = text.indexOf('\n', start);
    if (nl < 0) nl = text.length;
    const end = nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
    out.push({ start, end, text: text.slice(start, end) });
    if (nl >= text.length) break;
    start = nl + 1;
  }
  return out;
}

export function shellRegions(text: string, host: DockerRunHost): ShellRegion[] {
  if (host === 'shell') return [{ start: 0, end: text.length, dialect: 'sh' }];
  if (host === 'makefile') return makefileRecipes(text);
  return markdownBlocks(text);
}

/** Each recipe line (tab-indented) with its `\` continuations, after the `@`, `-` and `+` prefixes. */
function makefileRecipes(text: string): ShellRegion[] {
  const out: ShellRegion[] = [];
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    let last = i;
    while (last < all.length - 1 && all[last].text.endsWith('\\')) last++;
    const line = all[i];
    if (line.text.startsWith('\t')) {
      let start = line.start + 1;
      while (start < line.end && /[@+\- \t]/.test(text[start])) start++;
      out.push({ start, end: all[last].end, dialect: 'make' });
    }
    i = last;
  }
  return out;
}

const SHELL_LANGUAGES = new Set(['', 'sh', 'bash', 'shell', 'console', 'zsh', 'shell-session', 'sh-session', 'shellsession', 'terminal']);
const FENCE = /^( {0,3})(`{3,}|~{3,})\s*\{?\.?([^\s`{}]*)/;
const PROMPT = /^\s*(?:[\w.-]+@[\w.-]+(?::[^\s$#%]*)?\s?)?[$#%]\s+/;

/** Fenced blocks in a shell language (or none); blocks with `$ ` prompts only count the prompted commands. */
function markdownBlocks(text: string): ShellRegion[] {
  const out: ShellRegion[] = [];
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const open = FENCE.exec(all[i].text);
    if (!open) continue;
    const fence = open[2];
    let close = i + 1;
    while (close < all.length && !(all[close].text.trim().startsWith(fence) && all[close].text.trim().replace(/[`~]/g, '') === '' && all[close].text.trim()[0] === fence[0])) close++;
    const body = all.slice(i + 1, close);
    if (SHELL_LANGUAGES.has(open[3].toLowerCase()) && body.length) {
      const console = body.some((l) => /^\s*(?:[\w.-]+@[\w.-]+(?::[^\s$#%]*)?\s?)?[$%]\s+/.test(l.text));
      if (!console) out.push({ start: body[0].start, end: body[body.length - 1].end, dialect: 'sh' });
      else {
        for (let j = 0; j < body.length; j++) {
          const prompt = PROMPT.exec(body[j].text);
          if (!prompt) continue;
          let last = j;
          while (last < body.length - 1 && body[last].text.endsWith('\\')) last++;
          out.push({ start: body[j].start + prompt[0].length, end: body[last].end, dialect: 'sh' });
          j = last;
        }
      }
    }
    i = close;
  }
  return out;
}
