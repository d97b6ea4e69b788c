/**
 * Inputs that made a loop or a regular expression quadratic (or worse), each generated at two sizes in one
 * run: the larger one (8×) must cost less than 32× the smaller in CPU time (linear is 8×, quadratic 64×). No absolute
 * time limits: timing goals live in `npm run bench`. Each measurement is the fastest of five runs.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatStylish, type JsonFinding } from '../../server/src/cli/format';
import { Analyzer } from '../../server/src/engine/analyze';
import { isIgnored } from '../../server/src/engine/config';
import { parseDockerRuns } from '../../server/src/engine/docker/run';
import { buildDockerfileModel } from '../../server/src/engine/dockerfile/builder';
import { composeLinks } from '../../server/src/engine/images/links';
import { looksKubernetes } from '../../server/src/engine/kubernetes/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { hasTemplateDirectives } from '../../server/src/engine/yaml/documents';
import { inlayHints } from '../../server/src/lsp/inlayHints';

const SCALE = 8;
const FACTOR = 32;

/** Milliseconds of this process's CPU (not wall time: on a loaded machine the wait for a core is not the code's). */
function fastest(run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = process.cpuUsage();
    run();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / 1e3);
  }
  return best;
}

/** Asserts that `make(n * SCALE)` costs at most FACTOR × `make(n)` (with a 1 ms floor against timer noise). */
function assertLinear(name: string, n: number, make: (size: number) => () => unknown): void {
  const small = make(n);
  const large = make(n * SCALE);
  small(); // warm up the code paths
  const a = fastest(small);
  const b = fastest(large);
  assert.ok(b <= FACTOR * Math.max(a, 1), `${name}: ${n} → ${a.toFixed(1)} ms, ${n * SCALE} → ${b.toFixed(1)} ms (more than ${FACTOR}×)`);
}

describe('no quadratic paths', () => {
  test('Compose image `${a-…` without a closing brace (links.ts composeRepository)', () => {
    assertLinear('compose image', 5_000, (n) => {
      const text = `services:\n  web:\n    build: .\n    image: "${'${a-'.repeat(n)}"\n`;
      return () => composeLinks('/p/compose.yaml', text, 'compose.yaml');
    });
  });
  test('a run of `{{` (template detection)', () => {
    assertLinear('template', 10_000, (n) => {
      const text = '{{'.repeat(n);
      return () => hasTemplateDirectives(text);
    });
  });
  test('apiVersion then blank lines (looksKubernetes)', () => {
    assertLinear('looksKubernetes', 5_000, (n) => {
      const text = `apiVersion: v1\n${'\n'.repeat(n)}`;
      return () => looksKubernetes(text);
    });
  });
  test('inlay hints on a flow-style container followed by spaces', () => {
    assertLinear('inlay hints', 5_000, (n) => {
      const text = `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}${' '.repeat(n)}]}\n`;
      const doc = TextDocument.create('file:///p.yaml', 'yaml', 1, text);
      const analysis = new Analyzer().analyze('/p.yaml', text, DEFAULT_OPTIONS);
      return () => inlayHints(doc, analysis, { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } });
    });
  });
  test('many `**` in an ignore glob (picomatch since the CLI rework)', () => {
    // 15 `**` took 27 s with the hand-written regex; growth is measured in the path length.
    assertLinear('glob', 200, (n) => {
      const globs = [`${'**/'.repeat(15)}x`];
      const path = `${'a/'.repeat(n)}b`;
      return () => isIgnored(path, globs);
    });
  });
  test('docker run lines (one line table, not a count from the start per command)', () => {
    assertLinear('docker run', 500, (n) => {
      const text = 'docker run --privileged alpine\n'.repeat(n);
      return () => parseDockerRuns(text, 'run.sh', DEFAULT_OPTIONS);
    });
  });
  test('chained Dockerfile stages, each adding a user and a variable', () => {
    assertLinear('stages', 100, (n) => {
      const lines = ['FROM alpine AS s0'];
      for (let i = 1; i < n; i++) lines.push(`FROM s${i - 1} AS s${i}`, `RUN adduser -D u${i}`, `ENV V${i}=x`, `COPY --from=s0 /a /b`);
      const text = lines.join('\n') + '\n';
      return () => buildDockerfileModel(text);
    });
  });
  test('the CLI text formatter, many findings in one file', () => {
    assertLinear('stylish', 5_000, (n) => {
      const finding: JsonFinding = { file: 'a.yaml', line: 1, column: 1, endLine: 1, endColumn: 2, rule: 'privileged', severity: 'error', message: 'm', fixes: [] };
      const findings = Array.from({ length: n }, () => finding);
      return () => formatStylish(findings, false);
    });
  });
});

describe('the rewritten matchers read as before', () => {
  test('hasTemplateDirectives: a `{{` with a `}}` after it', () => {
    assert.deepStrictEqual(['{{ .Values }}', '{{-x-}}', 'a {{', '}} {{', '{{}}', 'plain'].map(hasTemplateDirectives), [true, true, false, false, true, false]);
  });
  test('Compose image defaults', () => {
    const image = (written: string) => composeLinks('/p/compose.yaml', `services:\n  web:\n    build: .\n    image: "${written}"\n`, 'compose.yaml').map((l) => l.image);
    assert.deepStrictEqual([image('${REG:-example.com}/app:${TAG-1}'), image('${REG}/app'), image('$REG/app'), image('example.com/app'), image('${REG:-x')], [['example.com/app'], [], [], ['example.com/app'], []]);
  });
});
