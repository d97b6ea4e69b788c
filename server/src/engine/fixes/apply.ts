/**
 * Applying fixes to a file: one fix's edits (`applyEdits`), every finding's preferred fix in passes the way
 * `eslint --fix` does (`fixAll`), and the fixes that make workloads pass the restricted Pod Security
 * profile (`hardenToRestricted`), which lists what it leaves to a person instead of deleting it.
 */
import type { Node } from 'yaml';
import { Analyzer, type FileAnalysis } from '../analyze';
import { buildKubernetesDocument, isKubernetesResource, type PodModel } from '../kubernetes/model';
import type { AnalysisOptions } from '../options';
import { evaluatePodSecurity, formatPssViolation, parseKubeVersion, type PssViolation } from '../pss';
import type { Finding, Fix, FixSafety, PssLevel, Span, TextEdit } from '../types';
import { hasTemplateDirectives, parseYamlChunk, splitYamlDocuments } from '../yaml/documents';
import { deepestNode, mapAt, pairOf, plainOf, spanOf, type YamlPath } from '../yaml/nodes';
import { placeViolation } from '../rules/pss';
import {
  containerAtPath,
  containerSeccompRuntimeDefaultFix,
  disallowPrivilegeEscalationFix,
  podSeccompRuntimeDefaultFix,
  removeFieldFix,
  runtimeDefaultProfileFix,
  restrictCapabilitiesFix,
  setFieldFixes,
  setPodFieldFix,
} from './fields';

/** How many times `fixAll` and `hardenToRestricted` re-analyse and apply at most (eslint uses 10 too). */
export const MAX_FIX_PASSES = 10;

/** Thrown by applyEdits when two edits overlap (or insert at the same offset, which leaves their order open). */
export class OverlappingEditsError extends Error {}

/** The edits for this text (not those for another file, such as a linked Dockerfile), sorted by offset. */
function localEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits.filter((e) => !e.file).map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i).map((x) => x.e);
}

/**
 * Applies edits to the text they were computed on. Edits for another file are skipped. Throws
 * OverlappingEditsError when two edits overlap or both insert at one offset, RangeError when one is out of the text.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let cursor = 0;
  let previous: TextEdit | undefined;
  for (const e of localEdits(edits)) {
    if (e.start < 0 || e.end > text.length || e.end < e.start) throw new RangeError(`edit [${e.start}, ${e.end}) is outside the text (length ${text.length})`);
    if (e.start < cursor) throw new OverlappingEditsError(`edit [${e.start}, ${e.end}) overlaps [${previous?.start}, ${previous?.end})`);
    if (previous && previous.start === previous.end && e.start === e.end && e.start === previous.start) {
      throw new OverlappingEditsError(`two insertions at offset ${e.start}`);
    }
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
    previous = e;
  }
  return out + text.slice(cursor);
}

/** Two fixes conflict when their edits overlap or touch: apply one now, the other in the next pass. */
function conflicts(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some((x) => b.some((y) => x.start <= y.end && y.start <= x.end));
}

function sameEdits(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.length === b.length && a.every((x, i) => x.start === b[i].start && x.end === b[i].end && x.newText === b[i].newText && x.file === b[i].file);
}

export interface AppliedFix {
  /** The finding's rule (fixAll) or the Pod Security check (hardenToRestricted). */
  readonly rule: string;
  readonly title: string;
  readonly safety: FixSafety;
  /** 1-based pass the fix was applied in. */
  readonly pass: number;
  /** Where the finding was, in the text as it was at the start of that pass. */
  readonly span: Span;
}

interface Candidate {
  readonly rule: string;
  readonly span: Span;
  readonly fix: Fix;
}

/**
 * One pass: the candidates whose edits do not conflict with those chosen before them, in order. A fix whose
 * edits equal a chosen one's (the same pod-level change offered for several containers) counts as applied once.
 */
function choose(candidates: readonly Candidate[], pass: number): { edits: TextEdit[]; applied: AppliedFix[] } {
  const chosen: (readonly TextEdit[])[] = [];
  const edits: TextEdit[] = [];
  const applied: AppliedFix[] = [];
  for (const { rule, span, fix } of candidates) {
    const local = localEdits(fix.edits);
    if (local.length === 0 || local.length !== fix.edits.length) continue; // nothing to do here, or another file to edit too
    if (chosen.some((c) => sameEdits(c, local))) continue;
    if (chosen.some((c) => conflicts(c, local))) continue;
    chosen.push(local);
    edits.push(...local);
    applied.push({ rule, title: fix.title, safety: fix.safety, pass, span });
  }
  return { edits, applied };
}

export interface FixAllResult {
  readonly text: string;
  readonly applied: readonly AppliedFix[];
  /** Passes that changed the text. */
  readonly passes: number;
  /** The findings of the final text. */
  readonly remaining: readonly Finding[];
}

export interface FixAllOptions {
  /** Also apply fixes that change what the workload may do (`--fix-unsafe`). */
  readonly unsafe: boolean;
  readonly analyzer?: Analyzer;
  /** How each pass re-analyses the text (a Helm chart's file is judged through its chart); default: `analyzer`. */
  readonly analyze?: (path: string, text: string) => FileAnalysis;
}

/**
 * Applies the preferred fix of every finding, like `eslint --fix`: per pass, each fix whose edits do not
 * conflict with those already chosen; then re-analyses and repeats, up to MAX_FIX_PASSES passes. Unsafe fixes
 * only with `unsafe`; fixes that also edit another file are left out.
 */
export function fixAll(path: string, text: string, options: AnalysisOptions, fixOptions: FixAllOptions): FixAllResult {
  const analyzer = fixOptions.analyzer ?? new Analyzer();
  const analyze = fixOptions.analyze ?? ((p: string, t: string) => analyzer.analyze(p, t, options));
  const applied: AppliedFix[] = [];
  let current = text;
  let passes = 0;
  let analysis = analyze(path, current);
  while (passes < MAX_FIX_PASSES) {
    const candidates: Candidate[] = [];
    for (const finding of analysis.findings) {
      const fix = finding.fixes.find((f) => f.preferred);
      if (fix && (fixOptions.unsafe || fix.safety === 'safe')) candidates.push({ rule: finding.rule, span: finding.span, fix });
    }
    const pass = choose(candidates, passes + 1);
    if (pass.edits.length === 0) break;
    const next = applyEdits(current, pass.edits);
    if (next === current) break;
    current = next;
    passes++;
    applied.push(...pass.applied);
    analysis = analyze(path, current);
  }
  return { text: current, applied, passes, remaining: analysis.findings };
}

// ---------------------------------------------------------------------------------------------
// Hardening to the restricted Pod Security profile

/** The Pod Security checks hardening fixes; every other violation is listed for a person to decide. */
export const HARDENING_CHECKS: readonly string[] = [
  'allowPrivilegeEscalation',
  'capabilities_restricted',
  'privileged',
  'runAsNonRoot',
  'runAsUser',
  'seccompProfile_baseline',
  'seccompProfile_restricted',
];

/** A violation hardening leaves alone (host namespaces, hostPath volumes, host ports, …). */
export interface UnfixedViolation {
  /** `Deployment/web`. */
  readonly workload: string;
  readonly check: string;
  readonly level: PssLevel;
  /** In plain English, as the findings say it (one sentence group per place, rules/pss-messages.ts). */
  readonly message: string;
  /** `reason (detail)`, as the admission controller words it. */
  readonly upstream: string;
  /** Where it is in the hardened text. */
  readonly span: Span;
}

export interface HardenResult {
  readonly text: string;
  readonly applied: readonly AppliedFix[];
  /** What still keeps a workload from restricted: for a person to decide. */
  readonly unfixed: readonly UnfixedViolation[];
  /**
   * Errors and warnings secctx still reports on the hardened text (analysed under the restricted profile) on
   * lines that no `unfixed` violation is on: what Pod Security admission does not check but that is still
   * wrong (capabilities in the pod-level securityContext, a CAP_-prefixed name, …). The file passes only when
   * this and `unfixed` are both empty.
   */
  readonly remaining: readonly Finding[];
}

/** The fixes for one violation; several when it names several fields. */
function hardeningFixes(text: string, pod: PodModel, v: PssViolation, options: AnalysisOptions): Fix[] {
  const fixes: Fix[] = [];
  for (const path of v.paths) {
    const container = containerAtPath(pod, path);
    switch (v.check) {
      case 'allowPrivilegeEscalation':
        if (container) fixes.push(...disallowPrivilegeEscalationFix(text, container));
        break;
      case 'privileged':
        fixes.push(...removeFieldFix(text, pod, path));
        break;
      case 'capabilities_restricted':
        if (container) fixes.push(...restrictCapabilitiesFix(text, container));
        break;
      case 'runAsNonRoot':
        if (container) fixes.push(...setFieldFixes(text, pod, container, options, 'non-root'));
        else fixes.push(...setPodFieldFix(text, pod, ['runAsNonRoot'], 'true', 'Require a non-root user (runAsNonRoot: true)'));
        break;
      case 'runAsUser':
        if (container) fixes.push(...setFieldFixes(text, pod, container, options, 'numeric-user'));
        else fixes.push(...setPodFieldFix(text, pod, ['runAsUser'], String(options.defaultNonRootUid), `Run as uid ${options.defaultNonRootUid} (runAsUser: ${options.defaultNonRootUid})`));
        break;
      case 'seccompProfile_baseline':
        fixes.push(...runtimeDefaultProfileFix(text, pod, path, 'seccomp'));
        break;
      case 'seccompProfile_restricted': {
        // A forbidden type written down is replaced where it is; a missing one is set once, for the pod.
        const own = container && pairOf(mapAt(container.securityContext, 'seccompProfile'), 'type');
        fixes.push(...(container && !own ? podSeccompRuntimeDefaultFix(text, pod) : container ? containerSeccompRuntimeDefaultFix(text, container) : podSeccompRuntimeDefaultFix(text, pod)));
        break;
      }
    }
  }
  return fixes;
}

interface PodViolations {
  readonly offset: number;
  readonly text: string;
  readonly pod: PodModel;
  readonly violations: readonly PssViolation[];
}

function restrictedViolations(text: string, options: AnalysisOptions): PodViolations[] {
  const version = parseKubeVersion(options.kubernetesVersion ?? '');
  const out: PodViolations[] = [];
  for (const chunk of splitYamlDocuments(text)) {
    if (hasTemplateDirectives(chunk.text)) continue;
    const parsed = parseYamlChunk(chunk.text);
    if (parsed.syntaxError || !isKubernetesResource(parsed.doc.contents)) continue;
    for (const pod of buildKubernetesDocument(parsed.doc).pods) {
      const violations = evaluatePodSecurity(plainOf(pod.podObject), 'restricted', version);
      if (violations.length) out.push({ offset: chunk.offset, text: chunk.text, pod, violations });
    }
  }
  return out;
}

function shift(edits: readonly TextEdit[], delta: number): TextEdit[] {
  return edits.map((e) => (e.file ? e : { ...e, start: e.start + delta, end: e.end + delta }));
}

function spanOfPath(pod: PodModel, path: YamlPath): Span {
  const found = deepestNode(pod.podObject as unknown as Node, path);
  return found.keySpan ?? spanOf(found.node) ?? pod.resource.kindSpan;
}

/**
 * Applies, in passes, the fixes that make workloads pass the restricted Pod Security profile at
 * options.kubernetesVersion: allowPrivilegeEscalation: false, drop ALL (and no added capability but
 * NET_BIND_SERVICE), no privileged, runAsNonRoot: true with a non-root runAsUser, a RuntimeDefault seccomp
 * profile. Everything else (host namespaces, hostPath volumes, host ports, volume types, sysctls, …) is not
 * deleted but listed in `unfixed`, as is anything a fix could not be written for.
 */
export function hardenToRestricted(path: string, text: string, options: AnalysisOptions): HardenResult {
  const applied: AppliedFix[] = [];
  let current = text;
  let found = restrictedViolations(current, options);
  for (let pass = 1; pass <= MAX_FIX_PASSES; pass++) {
    const candidates: Candidate[] = [];
    for (const { offset, text: chunk, pod, violations } of found) {
      for (const v of violations) {
        if (!HARDENING_CHECKS.includes(v.check)) continue;
        const span = shiftSpan(spanOfPath(pod, v.paths[0] ?? ['spec']), offset);
        for (const fix of hardeningFixes(chunk, pod, v, options)) candidates.push({ rule: v.check, span, fix: { ...fix, edits: shift(fix.edits, offset) } });
      }
    }
    const chosen = choose(candidates, pass);
    if (chosen.edits.length === 0) break;
    current = applyEdits(current, chosen.edits);
    applied.push(...chosen.applied);
    found = restrictedViolations(current, options);
  }
  const unfixed: UnfixedViolation[] = [];
  for (const { offset, pod, violations } of found) {
    for (const v of violations) {
      const said = [...new Set(placeViolation(pod, v, options).messages)].join(' ');
      unfixed.push({ workload: pod.workload, check: v.check, level: v.level, message: said, upstream: formatPssViolation(v), span: shiftSpan(spanOfPath(pod, v.paths[0] ?? ['spec']), offset) });
    }
  }
  const lineOf = (offset: number): number => {
    let n = 0;
    for (let i = current.indexOf('\n'); i >= 0 && i < offset; i = current.indexOf('\n', i + 1)) n++;
    return n;
  };
  const unfixedLines = new Set(unfixed.map((u) => lineOf(u.span.start)));
  const remaining = new Analyzer()
    .analyze(path, current, { ...options, profile: 'restricted' })
    .findings.filter((f) => (f.severity === 'error' || f.severity === 'warning') && !unfixedLines.has(lineOf(f.span.start)));
  return { text: current, applied, unfixed, remaining };
}

function shiftSpan(span: Span, delta: number): Span {
  return { start: span.start + delta, end: span.end + delta };
}
