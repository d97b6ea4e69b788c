/**
 * Where "Disable … for this line" writes its comment in files whose text is documentation or a build script:
 * - Markdown: an HTML comment before the fenced block (invisible when rendered), never a `#` line inside the
 *   user's ```sh block, and the comment covers that whole block;
 * - Makefile: a make comment at column 0 before the recipe line. GNU make's manual (Recipe Syntax): "Blank lines
 *   and lines of just comments may appear among the recipe lines; they are ignored", while a tab-indented
 *   `# …` is "passed to the shell as-is" (echoed when run);
 * - before the first line of a `\`-continued command (a line inserted between continuation lines would end
 *   the command early), and the comment covers all its continuation lines.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { applyEdits } from '../../server/src/engine/fixes/apply';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { disableCommentEdit, parseSuppressions } from '../../server/src/engine/suppression';

function disableFirst(path: string, text: string): { after: string; before: string[]; remaining: string[] } {
  const analyzer = new Analyzer();
  const findings = analyzer.analyze(path, text, DEFAULT_OPTIONS).findings;
  const finding = findings.find((f) => f.rule === 'privileged');
  assert.ok(finding, 'a privileged finding');
  const after = applyEdits(text, [disableCommentEdit(text, finding.span.start, finding.rule, path)]);
  return { after, before: findings.map((f) => f.rule), remaining: analyzer.analyze(path, after, DEFAULT_OPTIONS).findings.map((f) => f.rule) };
}

describe('disable comments in Markdown and Makefiles', () => {
  test('Markdown: an HTML comment before the ```sh block, which it covers whole', () => {
    const text = '# Run\n\nStart it:\n\n```sh\ndocker run --rm \\\n  --privileged acme/web:1\n```\n';
    assert.deepStrictEqual(disableFirst('README.md', text), {
      after: '# Run\n\nStart it:\n\n<!-- secctx-disable-next-line privileged -->\n```sh\ndocker run --rm \\\n  --privileged acme/web:1\n```\n',
      before: ['privileged'],
      remaining: [],
    });
  });

  test('Markdown: a second rule joins the existing HTML comment', () => {
    const text = '<!-- secctx-disable-next-line run-as-root -->\n```sh\ndocker run --privileged acme/web:1\n```\n';
    const at = text.indexOf('--privileged');
    assert.deepStrictEqual(applyEdits(text, [disableCommentEdit(text, at, 'privileged', 'README.md')]), '<!-- secctx-disable-next-line run-as-root, privileged -->\n```sh\ndocker run --privileged acme/web:1\n```\n');
  });

  test('an HTML comment not before a block covers the next line only; the block ends at its closing fence', () => {
    const text = '<!-- secctx-disable-next-line privileged -->\n```sh\nx\n```\nafter\n<!-- secctx-disable-next-line a, b -->\nnext\nnot\n';
    assert.deepStrictEqual([...parseSuppressions(text).lines], [[1, ['privileged']], [2, ['privileged']], [3, ['privileged']], [6, ['a', 'b']]]);
  });

  test('Makefile: a make comment at column 0 before the first line of the continued recipe line', () => {
    const text = 'IMAGE ?= acme/web:dev\n\nrun:\n\tdocker run --rm \\\n\t  --privileged $(IMAGE)\n';
    assert.deepStrictEqual(disableFirst('Makefile', text), {
      after: 'IMAGE ?= acme/web:dev\n\nrun:\n# secctx-disable-next-line privileged\n\tdocker run --rm \\\n\t  --privileged $(IMAGE)\n',
      before: ['privileged'],
      remaining: [],
    });
  });

  test('shell script: before the first line of the continued command, at its indentation', () => {
    const text = '#!/bin/sh\nif true; then\n  docker run --rm \\\n    --privileged acme/web:1\nfi\n';
    assert.deepStrictEqual(disableFirst('run.sh', text), {
      after: '#!/bin/sh\nif true; then\n  # secctx-disable-next-line privileged\n  docker run --rm \\\n    --privileged acme/web:1\nfi\n',
      before: ['privileged'],
      remaining: [],
    });
  });
});
