/**
 * The rule registry and every rule's documentation, run as tests (Biome's model): ids, complete docs, the
 * bad example raises the rule, the good one does not, the preferred fix clears the finding, the generated
 * page is current, and every Pod Security check has exactly one owner.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exampleAnalysis } from '../../server/src/engine/rules/examples';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { PSS_CHECKS } from '../../server/src/engine/pss/index';
import { RULES } from '../../server/src/engine/rules/index';
import type { DocExample, Rule } from '../../server/src/engine/rules/rule';
import type { Finding, Span, TextEdit } from '../../server/src/engine/types';

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const REPOSITORY = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `gen-rule-docs.ts --check`, run as CI runs it: its exit status and its problems, one `<kind>: <file>` a line. */
function checkRuleDocs(): { status: number | null; problems: string[] } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'gen-rule-docs.ts'), '--check'], { cwd: REPOSITORY, encoding: 'utf8' });
  const problems = run.stderr.split('\n').filter((line) => /^(missing|out of date|no such rule): /.test(line));
  return { status: run.status, problems };
}

/** The safety a fix text states first: `Safe: …`, `Unsafe: …`, `None: …`; undefined when there is no text. */
function statedSafety(fix: string | undefined): 'safe' | 'unsafe' | 'none' | 'either' | undefined {
  if (fix === undefined || /^None\b/.test(fix)) return fix === undefined ? undefined : 'none';
  if (/^Safe\b/.test(fix)) return /\bUnsafe\b/.test(fix) ? 'either' : 'safe';
  return /^Unsafe\b/.test(fix) ? 'unsafe' : undefined;
}

function findingsOf(example: DocExample, ruleId: string, text = example.code): Finding[] {
  return exampleAnalysis(example, DEFAULT_OPTIONS, text).findings.filter((f) => f.rule === ruleId);
}

/** Edits to this file only (a fix may also edit a linked Dockerfile), applied from the end so offsets hold. */
function localEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits.filter((e) => !e.file).sort((a, b) => b.start - a.start || b.end - a.end);
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return localEdits(edits).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

/** Where an offset of the original text is after the edits; an offset inside a replaced range goes to its start (or end). */
function mapOffset(offset: number, edits: readonly TextEdit[], side: 'start' | 'end'): number {
  let delta = 0;
  for (const e of [...localEdits(edits)].reverse()) {
    if (e.end <= offset) delta += e.newText.length - (e.end - e.start);
    else if (e.start < offset) return e.start + delta + (side === 'end' ? e.newText.length : 0);
  }
  return offset + delta;
}

/** The places in the fixed text that stand for a finding: its own span, moved by the edits, and the edited text. */
function placesAfterFix(span: Span, edits: readonly TextEdit[]): Span[] {
  const places: Span[] = [{ start: mapOffset(span.start, edits, 'start'), end: mapOffset(span.end, edits, 'end') }];
  let delta = 0;
  for (const e of [...localEdits(edits)].reverse()) {
    places.push({ start: e.start + delta, end: e.start + delta + e.newText.length });
    delta += e.newText.length - (e.end - e.start);
  }
  return places;
}

function overlaps(a: Span, b: Span): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

function nonEmpty(value: string | undefined): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

function completenessProblems(rule: Rule): string[] {
  const { meta } = rule;
  const { docs } = meta;
  const problems: string[] = [];
  if (!nonEmpty(meta.title)) problems.push('title is empty');
  if (!nonEmpty(docs.summary)) problems.push('docs.summary is empty');
  if (!nonEmpty(docs.why)) problems.push('docs.why is empty');
  for (const which of ['bad', 'good'] as const) {
    const example = docs[which] as DocExample | undefined;
    if (!example || !nonEmpty(example.file) || !nonEmpty(example.code)) problems.push(`docs.${which} has no file or code`);
  }
  if (docs.bad?.code === docs.good?.code) problems.push('docs.bad and docs.good are the same code');
  // No fix text means no fix; a fix text states its safety first, as the generated pages classify it.
  if (docs.fix !== undefined && !/^(Safe|Unsafe|None)\b/.test(docs.fix)) problems.push('docs.fix must open with Safe, Unsafe or None');
  // A fix has its safety audit (docs/rules/README.md, "Fix safety"), and the rows agree with the text.
  const stated = statedSafety(docs.fix);
  const audited = new Set((docs.fixSafety ?? []).map((row) => row.safety));
  const expected = stated === 'safe' ? ['safe'] : stated === 'unsafe' ? ['unsafe'] : stated === 'either' ? ['safe', 'unsafe'] : [];
  if (JSON.stringify([...audited].sort()) !== JSON.stringify(expected)) problems.push(`docs.fixSafety rows are ${JSON.stringify([...audited].sort())} where docs.fix says ${stated ?? 'no fix'}`);
  if (docs.references.length === 0) problems.push('docs.references is empty');
  for (const reference of docs.references) if (!/^https:\/\/\S+$/.test(reference)) problems.push(`reference is not an https URL: ${reference}`);
  if (!rule.kubernetes && !rule.dockerfile && !rule.docker && !rule.meta.reportedBy) problems.push('the rule has no hook');
  return problems;
}

describe('rule registry', () => {
  test('ids are kebab-case and unique', () => {
    const ids = RULES.map((r) => r.meta.id);
    assert.deepStrictEqual(ids.filter((id) => !KEBAB_CASE.test(id)), []);
    assert.deepStrictEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
  });

  test('every Pod Security check is owned by exactly one rule', () => {
    const owners = new Map<string, string[]>(PSS_CHECKS.map((c) => [c.id, []]));
    const unknown: string[] = [];
    for (const rule of RULES) {
      for (const check of rule.meta.pss?.checks ?? []) {
        const list = owners.get(check);
        if (list) list.push(rule.meta.id);
        else unknown.push(`${rule.meta.id}: ${check}`);
      }
    }
    assert.deepStrictEqual(unknown, []);
    assert.deepStrictEqual(
      [...owners].filter(([, ids]) => ids.length !== 1).map(([check, ids]) => ({ check, owners: ids })),
      [],
    );
  });

  test('a Pod Security rule has the level of its checks and the severity of that level', () => {
    const problems: string[] = [];
    for (const rule of RULES) {
      const pss = rule.meta.pss;
      if (!pss) continue;
      const levels = pss.checks.map((id) => PSS_CHECKS.find((c) => c.id === id)?.level);
      const level = levels.includes('baseline') ? 'baseline' : 'restricted';
      const severity = level === 'baseline' ? 'warning' : 'info';
      if (pss.level !== level) problems.push(`${rule.meta.id}: level ${pss.level}, its checks say ${level}`);
      if (rule.meta.defaultSeverity !== severity) problems.push(`${rule.meta.id}: default severity ${rule.meta.defaultSeverity}, ${level} means ${severity}`);
      if (!rule.kubernetes) problems.push(`${rule.meta.id}: no kubernetes hook`);
    }
    assert.deepStrictEqual(problems, []);
  });

});

describe('documented examples', () => {
  const docsCheck = checkRuleDocs();

  test('docs/rules is up to date (gen-rule-docs.ts --check)', () => {
    assert.deepStrictEqual(docsCheck, { status: 0, problems: [] });
  });

  for (const rule of RULES) {
    const { id, docs } = rule.meta;
    describe(id, () => {
      test('docs are complete', () => {
        assert.deepStrictEqual(completenessProblems(rule), []);
      });

      test('the bad example raises it', () => {
        const all = exampleAnalysis(docs.bad, DEFAULT_OPTIONS).findings;
        assert.ok(all.some((f) => f.rule === id), `${docs.bad.file} raises ${JSON.stringify(all.map((f) => f.rule))}, not ${id}`);
      });

      test('the good example raises nothing from it', () => {
        assert.deepStrictEqual(findingsOf(docs.good, id), []);
      });

      test('the fixes are as safe as the docs say', () => {
        const safety = statedSafety(docs.fix);
        const offered = findingsOf(docs.bad, id).flatMap((f) => f.fixes).filter((fix) => fix.edits.length > 0);
        const wrong = offered.filter((fix) =>
          safety === undefined || safety === 'none' || (safety === 'safe' && fix.safety !== 'safe') || (safety === 'unsafe' && fix.safety !== 'unsafe'));
        assert.deepStrictEqual(wrong.map((fix) => ({ title: fix.title, safety: fix.safety })), []);
      });

      test('the preferred fix clears the finding', (t) => {
        let applied = 0;
        for (const finding of findingsOf(docs.bad, id)) {
          const fix = finding.fixes.find((f) => f.preferred) ?? finding.fixes[0];
          if (!fix || localEdits(fix.edits).length === 0) continue;
          applied++;
          const fixed = applyEdits(docs.bad.code, fix.edits);
          const places = placesAfterFix(finding.span, fix.edits);
          const remaining = findingsOf(docs.bad, id, fixed).filter((f) => places.some((p) => overlaps(f.span, p)));
          assert.deepStrictEqual(remaining.map((f) => ({ message: f.message, at: fixed.slice(f.span.start, f.span.end) })), [], `after "${fix.title}":\n${fixed}`);
        }
        if (applied === 0) t.skip('no fix with edits for the bad example');
      });

      test(`docs/rules/${id}.md exists and is up to date`, () => {
        assert.deepStrictEqual(docsCheck.problems.filter((p) => p.endsWith(`: ${id}.md`)), [], 'run node --import tsx scripts/gen-rule-docs.ts');
      });
    });
  }
});
