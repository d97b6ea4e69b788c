/**
 * Makefile variables a recipe's `docker run` line may use: `IMAGE ?= acme/web:dev`, `IMAGE := …`,
 * `IMAGE = …` (also with `override`/`export`), read outside recipes. Only plain values are kept (no
 * further `$` expansions, functions or line continuations): `$(IMAGE)` then names a known image.
 * Semantics follow GNU make: `?=` sets only an undefined variable, `=`/`:=`/`::=` set it again, `+=`
 * appends with a space.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const OPERATORS = ['?=', '::=', ':=', '+=', '='] as const;

/** `[override|export ]NAME OP value` read left to right (no backtracking regex), comments already removed. */
function definition(line: string): { name: string; op: (typeof OPERATORS)[number]; value: string } | undefined {
  let rest = line.trimStart();
  for (;;) {
    const word = /^(override|export)[ \t]/.exec(rest);
    if (!word) break;
    rest = rest.slice(word[0].length).trimStart();
  }
  const name = NAME.exec(rest)?.[0];
  if (!name) return undefined;
  rest = rest.slice(name.length).trimStart();
  const op = OPERATORS.find((o) => rest.startsWith(o));
  return op ? { name, op, value: rest.slice(op.length).trim() } : undefined;
}

export function makeVariables(text: string): ReadonlyMap<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  let continued = false;
  for (const line of lines) {
    const wasContinued = continued;
    continued = /\\$/.test(line);
    if (wasContinued || line.startsWith('\t')) continue;
    const hash = line.indexOf('#');
    const d = continued ? undefined : definition(hash >= 0 ? line.slice(0, hash) : line);
    if (!d) continue;
    const { name, op, value } = d;
    if (op === '?=') { if (!vars.has(name)) vars.set(name, value); }
    else if (op === '+=') vars.set(name, vars.has(name) ? `${vars.get(name)} ${value}`.trim() : value);
    else vars.set(name, value);
  }
  for (const [name, value] of vars) if (value.includes('$') || value === '') vars.delete(name);
  return vars;
}

/** `$(IMAGE)` or `${IMAGE}` standing alone, with a known plain value. */
export function expandMakeVariable(word: string, vars: ReadonlyMap<string, string>): string | undefined {
  const m = /^\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_.-]*)\})$/.exec(word);
  return m ? vars.get(m[1] ?? m[2]) : undefined;
}
