/**
 * Every regular expression literal in server/src, checked by recheck (the ReDoS checker; its pure-JS backend,
 * offline and deterministic) so that a pattern with exponential or polynomial backtracking is caught at review
 * time: several such regexes froze the server for seconds on one hostile file (issue 14). A pattern that is
 * safe in its context (bounded input) but flagged goes in ALLOWED with the reason.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

process.env.RECHECK_SYNC_BACKEND = 'pure';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkSync } = require('recheck') as typeof import('recheck');

const ROOT = path.join(__dirname, '../../server/src');

/**
 * `file: /source/flags` → why it is let through. Only for code that landed flagged and is safe in its
 * context; none is left.
 */
const ALLOWED: Record<string, string> = {};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function regexLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) out.push(node.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

test('no regular expression in server/src backtracks super-linearly (recheck)', () => {
  const vulnerable: string[] = [];
  let count = 0;
  for (const file of files(ROOT)) {
    for (const literal of regexLiterals(file)) {
      const slash = literal.lastIndexOf('/');
      const source = literal.slice(1, slash);
      const flags = literal.slice(slash + 1);
      const key = `${path.relative(ROOT, file)}: ${literal}`;
      count++;
      const result = checkSync(source, flags, { timeout: 10_000 });
      if (result.status === 'vulnerable' && !ALLOWED[key]) {
        vulnerable.push(`${key} — ${result.complexity.type}${result.attack ? `, attack ${JSON.stringify(result.attack.pattern)}` : ''}`);
      }
    }
  }
  assert.ok(count > 50, `found only ${count} regular expressions: is the scan broken?`);
  assert.deepStrictEqual(vulnerable, []);
});
