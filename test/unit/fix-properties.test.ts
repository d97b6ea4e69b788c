/**
 * Properties every fix must have, checked for every fix of every finding on the repository's fixtures,
 * the rules' documented examples and the 4,537 Pod Security Admission pods (../shared/conformance/psa):
 * - the result parses without YAML errors;
 * - lines the edits do not touch are byte-identical, in order;
 * - re-analysis no longer reports the finding (the same rule where the finding was);
 * - applying twice equals applying once (the same fix, computed again on the result, is absent or changes nothing).
 * And hardening: every PSA pod allowed at baseline passes restricted afterwards, but for what the
 * hardening report names as not fixed automatically.
 *
 * The PSA pods repeat (380 distinct texts over 38 versions): a text is analysed once per distinct Pod Security
 * verdict, since only the Pod Security rules depend on the Kubernetes version.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isScalar, parse, parseDocument, visit } from 'yaml';
import { Analyzer, type FileAnalysis } from '../../server/src/engine/analyze';
import { applyEdits, HARDENING_CHECKS, hardenToRestricted } from '../../server/src/engine/fixes/apply';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import { evaluatePodSecurity, parseKubeVersion } from '../../server/src/engine/pss/index';
import { RULES } from '../../server/src/engine/rules/index';
import type { Fix, Span, TextEdit } from '../../server/src/engine/types';
import { sharedPath } from '../support/shared';

const REPOSITORY = path.resolve(__dirname, '../..');
const PSA = sharedPath('conformance', 'psa');

interface Subject {
  /** Where it comes from, for failure messages. */
  readonly name: string;
  /** The file name the analyzer sees (decides the kind of file). */
  readonly file: string;
  readonly text: string;
  readonly options: AnalysisOptions;
}

// ---------------------------------------------------------------------------------------------
// Subjects

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) out.push(...filesUnder(p));
    } else if (/\.(ya?ml)$/i.test(entry.name) || /^(Dockerfile|Containerfile)(\..+)?$/.test(entry.name)) out.push(p);
  }
  return out.sort();
}

function repositorySubjects(): Subject[] {
  const files = [...filesUnder(path.join(REPOSITORY, 'test')), ...filesUnder(path.join(REPOSITORY, 'examples'))];
  const subjects: Subject[] = files.map((file) => ({ name: path.relative(REPOSITORY, file), file: path.basename(file), text: readFileSync(file, 'utf8'), options: DEFAULT_OPTIONS }));
  for (const rule of RULES) {
    for (const which of ['bad', 'good'] as const) {
      const example = rule.meta.docs[which];
      subjects.push({ name: `${rule.meta.id} docs.${which}`, file: example.file, text: example.code, options: DEFAULT_OPTIONS });
    }
  }
  return subjects;
}

interface PsaFixture {
  readonly path: string;
  readonly level: string;
  readonly version: string;
  readonly expected: string;
}

function isPsaFixture(value: unknown): value is PsaFixture {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['path'] === 'string' && typeof v['version'] === 'string' && typeof v['level'] === 'string' && typeof v['expected'] === 'string';
}

function psaFixtures(): PsaFixture[] {
  const manifest: unknown = JSON.parse(readFileSync(path.join(PSA, 'manifest.json'), 'utf8'));
  const fixtures: unknown = (manifest as { fixtures?: unknown }).fixtures;
  assert.ok(Array.isArray(fixtures), 'manifest.json lists fixtures');
  const typed = fixtures.filter(isPsaFixture);
  assert.equal(typed.length, fixtures.length, 'every fixture has path, level, version and expected');
  return typed;
}

/** A PSA pod as plain JS, parsed once per distinct text. */
const parsedPods = new Map<string, unknown>();
function podOf(text: string): unknown {
  if (!parsedPods.has(text)) parsedPods.set(text, parse(text));
  return parsedPods.get(text);
}

/** The Pod Security verdicts of a text at a version: all that the version changes about its findings. */
function pssSignature(text: string, version: string): string {
  const v = parseKubeVersion(version);
  const verdict = (level: 'baseline' | 'restricted'): string[] => evaluatePodSecurity(podOf(text), level, v).map((x) => `${x.check} ${x.detail} ${JSON.stringify(x.paths)}`);
  return JSON.stringify([verdict('baseline'), verdict('restricted')]);
}

const optionsByVersion = new Map<string, AnalysisOptions>();
function optionsAt(version: string): AnalysisOptions {
  let options = optionsByVersion.get(version);
  if (!options) {
    options = { ...DEFAULT_OPTIONS, kubernetesVersion: version };
    optionsByVersion.set(version, options);
  }
  return options;
}

/** The PSA pods, one per distinct (text, Pod Security verdicts). */
function psaSubjects(fixtures: readonly PsaFixture[]): Subject[] {
  const seen = new Set<string>();
  const subjects: Subject[] = [];
  for (const fixture of fixtures) {
    const text = readFileSync(path.join(PSA, fixture.path), 'utf8');
    const key = `${text}\0${pssSignature(text, fixture.version)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    subjects.push({ name: `psa/${fixture.path}`, file: 'pod.yaml', text, options: optionsAt(fixture.version) });
  }
  return subjects;
}

// ---------------------------------------------------------------------------------------------
// The properties

const analyzer = new Analyzer();
const analyses = new Map<string, FileAnalysis>();
/** Analyses, once per text and (for a versioned PSA pod) per distinct Pod Security verdict. */
function analyze(file: string, text: string, options: AnalysisOptions): FileAnalysis {
  const version = options.kubernetesVersion;
  const key = `${file}\0${text}\0${version === undefined ? '' : pssSignature(text, version)}`;
  let analysis = analyses.get(key);
  if (!analysis) {
    analysis = analyzer.analyze(file, text, options);
    analyses.set(key, analysis);
  }
  return analysis;
}

/**
 * YAML problems of an analysed text: syntax errors, and duplicate keys (which the analyzer's lenient parse
 * accepts, the last one winning as the API server decodes them, but which a fix must never create).
 */
function yamlProblems(analysis: FileAnalysis): string[] {
  const problems: string[] = [];
  for (const { analysis: unit } of analysis.documents) {
    const doc = unit.model?.doc ?? parseDocument(unit.text);
    problems.push(...doc.errors.map((e) => e.message.split('\n')[0]));
    visit(doc, {
      Map(_, map) {
        const keys = map.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key)));
        const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
        if (duplicate !== undefined) problems.push(`duplicate key ${duplicate}`);
      },
    });
  }
  return problems;
}

function localEdits(fix: Fix): TextEdit[] {
  return fix.edits.filter((e) => !e.file);
}

/** Where an offset of the original text is after the edits (one inside a replaced range goes to its start, or end). */
function mapOffset(offset: number, edits: readonly TextEdit[], side: 'start' | 'end'): number {
  let delta = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.end <= offset) delta += e.newText.length - (e.end - e.start);
    else if (e.start < offset) return e.start + delta + (side === 'end' ? e.newText.length : 0);
  }
  return offset + delta;
}

function mapSpan(span: Span, edits: readonly TextEdit[]): Span {
  return { start: mapOffset(span.start, edits, 'start'), end: mapOffset(span.end, edits, 'end') };
}

function overlaps(a: Span, b: Span): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

/** Runs of original lines no edit touches, each as one string: they must appear in the result, in order. */
function untouchedBlocks(text: string, edits: readonly TextEdit[]): string[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const touched = new Set<number>();
  for (const e of edits) {
    const first = lineOf(e.start);
    const last = e.end > e.start ? lineOf(e.end - 1) : first;
    for (let l = first; l <= last; l++) touched.add(l);
  }
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  lines.forEach((line, i) => {
    if (touched.has(i)) {
      if (current.length) blocks.push(current.join('\n'));
      current = [];
    } else current.push(line);
  });
  if (current.length) blocks.push(current.join('\n'));
  return blocks.filter((b) => b.length > 0);
}

function keepsUntouchedLines(before: string, after: string, edits: readonly TextEdit[]): boolean {
  let cursor = 0;
  for (const block of untouchedBlocks(before, edits)) {
    let at = after.indexOf(block, cursor);
    while (at > 0 && after[at - 1] !== '\n') at = after.indexOf(block, at + 1);
    if (at < 0) return false;
    cursor = at + block.length;
  }
  return true;
}

interface Problem {
  readonly subject: string;
  readonly rule: string;
  readonly fix: string;
  readonly problem: string;
}

interface Tally {
  fixes: number;
  skippedOtherFile: number;
  readonly problems: Problem[];
}

function checkSubject(subject: Subject, tally: Tally, seen: Set<string>): void {
  const { file, text, options } = subject;
  const before = analyze(file, text, options);
  const parsedBefore = yamlProblems(before).length === 0;
  for (const finding of before.findings) {
    for (const fix of finding.fixes) {
      const edits = localEdits(fix);
      if (edits.length !== fix.edits.length) {
        tally.skippedOtherFile++;
        continue;
      }
      if (edits.length === 0) continue;
      const key = `${options.kubernetesVersion ?? ''}\0${text}\0${finding.rule}\0${finding.span.start}\0${fix.title}\0${JSON.stringify(edits)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      tally.fixes++;
      const report = (problem: string): void => void tally.problems.push({ subject: subject.name, rule: finding.rule, fix: fix.title, problem });
      let after: string;
      try {
        after = applyEdits(text, edits);
      } catch (e) {
        report(`applyEdits threw: ${(e as Error).message}`);
        continue;
      }
      if (after === text) report('changes nothing');
      if (!keepsUntouchedLines(text, after, edits)) report(`changes lines it does not edit:\n${after}`);
      // Several findings can share a place (two containers that inherit one pod-level runAsUser: 0): the fix
      // must leave fewer of its rule there, and none with its finding's message.
      const place = mapSpan(finding.span, edits);
      const atPlace = before.findings.filter((f) => f.rule === finding.rule && overlaps(f.span, finding.span));
      const reanalysed = analyze(file, after, options);
      const yaml = parsedBefore ? yamlProblems(reanalysed) : [];
      if (yaml.length) report(`does not parse: ${yaml[0]}\n${after}`);
      // A fix that deletes the finding's own text (removing a list item) leaves an empty place at the next
      // item's start, where that item's own finding may sit: there, only the message must be gone.
      const deleted = place.start === place.end && finding.span.end > finding.span.start;
      const still = reanalysed.findings.filter((f) => f.rule === finding.rule && overlaps(f.span, place));
      const same = still.filter((f) => f.message === finding.message);
      if ((!deleted && still.length >= atPlace.length) || same.length) report(`still reported: ${(same[0] ?? still[0]).message}\n${after}`);
      for (const again of same) {
        for (const second of again.fixes.filter((f) => f.title === fix.title)) {
          let twice: string;
          try {
            twice = applyEdits(after, localEdits(second));
          } catch (e) {
            report(`second application threw: ${(e as Error).message}`);
            continue;
          }
          if (twice !== after) report(`applying twice differs from once:\n${twice}`);
        }
      }
    }
  }
}

function runProperties(subjects: readonly Subject[]): Tally {
  const tally: Tally = { fixes: 0, skippedOtherFile: 0, problems: [] };
  const seen = new Set<string>();
  for (const subject of subjects) checkSubject(subject, tally, seen);
  return tally;
}

function summary(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.subject}: ${p.rule} / ${p.fix}: ${p.problem.split('\n')[0]}`);
}

describe('fix properties', () => {
  test('repository fixtures and documented examples', () => {
    const subjects = repositorySubjects();
    const tally = runProperties(subjects);
    assert.ok(tally.fixes > 50, `only ${tally.fixes} fixes checked`);
    assert.deepStrictEqual(summary(tally.problems), [], tally.problems[0] ? `${tally.problems[0].problem}` : '');
  });

  test('the 4,537 Pod Security Admission pods', () => {
    const fixtures = psaFixtures();
    assert.equal(fixtures.length, 4537);
    const subjects = psaSubjects(fixtures);
    const tally = runProperties(subjects);
    assert.ok(tally.fixes > 500, `only ${tally.fixes} fixes checked`);
    assert.deepStrictEqual(summary(tally.problems), [], tally.problems[0] ? `${tally.problems[0].problem}` : '');
  });
});

describe('hardening', () => {
  test('every PSA pod allowed at baseline passes restricted after hardening, but for what the report names', () => {
    const fixtures = psaFixtures();
    const seen = new Set<string>();
    const problems: string[] = [];
    let hardened = 0;
    let unfixedPods = 0;
    for (const fixture of fixtures) {
      const text = readFileSync(path.join(PSA, fixture.path), 'utf8');
      const version = parseKubeVersion(fixture.version);
      if (evaluatePodSecurity(podOf(text), 'baseline', version).length > 0) continue;
      const key = `${text}\0${pssSignature(text, fixture.version)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      hardened++;
      const result = hardenToRestricted('pod.yaml', text, optionsAt(fixture.version));
      const remaining = evaluatePodSecurity(parse(result.text), 'restricted', version);
      const named = new Set(result.unfixed.map((u) => u.check));
      const unnamed = remaining.filter((v) => !named.has(v.check));
      const fixable = remaining.filter((v) => HARDENING_CHECKS.includes(v.check));
      if (unnamed.length) problems.push(`${fixture.path}: ${unnamed.map((v) => v.check).join(', ')} left and not named`);
      if (fixable.length) problems.push(`${fixture.path}: ${fixable.map((v) => `${v.check}: ${v.detail}`).join(', ')} left though hardening fixes it\n${result.text}`);
      if (result.unfixed.length) unfixedPods++;
    }
    assert.ok(hardened > 100, `only ${hardened} pods hardened`);
    assert.ok(unfixedPods < hardened, 'some pods harden completely');
    assert.deepStrictEqual(problems.map((p) => p.split('\n')[0]), [], problems[0]);
  });
});
