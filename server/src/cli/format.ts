/** CLI output formats: stylish text, JSON and SARIF 2.1.0 — all built from the same findings. */
import type { EffectiveContext } from '../engine/effective';
import type { DockerfileModel } from '../engine/dockerfile/model';
import type { ImageFactsSource } from '../engine/images/facts';
import type { ImageFactsRecord } from '../engine/images/known';
import { LineIndex } from '../engine/lines';
import { RULES } from '../engine/rules/index';
import { ruleDocsUrl } from '../engine/rules/rule';
import type { Finding, Severity } from '../engine/types';

export interface FileFindings {
  readonly file: string;
  readonly text: string;
  readonly findings: readonly Finding[];
}

export interface JsonFinding {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  rule: string; severity: Severity; message: string;
  /** The Pod Security check and the admission controller's words for this place. */
  pss?: { level: string; check: string; reason: string; detail: string };
  fixes: { title: string; safety: string; preferred: boolean; edits: { file: string; line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
}

export function toJsonFindings(results: readonly FileFindings[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const r of results) {
    const lines = new LineIndex(r.text);
    for (const f of r.findings) {
      const s = lines.position(f.span.start);
      const e = lines.position(f.span.end);
      out.push({
        file: r.file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column,
        rule: f.rule, severity: f.severity, message: f.message,
        ...(f.pss ? { pss: { level: f.pss.level, check: f.pss.check, reason: f.pss.reason, detail: f.pss.detail } } : {}),
        fixes: f.fixes.map((fix) => ({
          title: fix.title, safety: fix.safety, preferred: fix.preferred === true,
          edits: fix.edits.filter((ed) => !ed.file).map((ed) => {
            const a = lines.position(ed.start);
            const b = lines.position(ed.end);
            return { file: r.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, newText: ed.newText };
          }),
        })),
      });
    }
  }
  return out;
}

const COLORS = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m', underline: '\x1b[4m' };

/** eslint "stylish": a header per file, then `line:col  severity  message  rule` (the summary line is check's). */
export function formatStylish(findings: readonly JsonFinding[], color: boolean): string {
  const c = (code: keyof typeof COLORS, s: string) => (color ? `${COLORS[code]}${s}${COLORS.reset}` : s);
  const byFile = new Map<string, JsonFinding[]>();
  // Appended in place: a copy of the file's list per finding was quadratic (a 2 MB stream: 15.6 s text vs 3.6 s JSON).
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(c('underline', file));
    for (const f of list) {
      lines.push(`  ${c('dim', `${f.line}:${f.column}`.padEnd(8))} ${c(f.severity, f.severity.padEnd(7))}  ${f.message}  ${c('dim', f.rule)}`);
    }
    lines.push('');
  }
  while (lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n');
}

/** `imageFacts` in the explain JSON: what the image is known to be, and from where. */
export interface JsonImageFacts {
  reference: string; digest: string | null; platform: string | null; user: string; from: ImageFactsSource;
}

export function toJsonImageFacts(facts: ImageFactsRecord | undefined): JsonImageFacts | null {
  return facts ? { reference: facts.reference, digest: facts.digest ?? null, platform: facts.platform ?? null, user: facts.user, from: facts.from } : null;
}

export interface JsonContainer {
  file: string; line: number; name: string; kind: string; workload: string; image?: string;
  imageFacts: JsonImageFacts | null;
  user: { uid: number | null; name?: string; source: string; file?: string; line?: number };
  group: { gid: number | null; source: string; file?: string; line?: number };
  supplementalGroups: readonly number[];
  privileged: boolean; allowPrivilegeEscalation: boolean;
  runAsNonRoot: string;
  capabilities: { bounding: readonly string[]; effective: readonly string[] } | null;
  seccomp: string; readOnlyRootFilesystem: boolean;
  /** For a container of a kustomize build: the build's folder, and the file and line that set each value. */
  build?: string;
  /** For a container of a Helm chart: the chart's folder (user/group `source: values` name the values file and line). */
  chart?: string;
  provenance?: Record<string, { file: string; line: number; source?: string }>;
}

export function toJsonContainer(file: string, lines: LineIndex, c: EffectiveContext): JsonContainer {
  return {
    file,
    line: lines.position(c.nameSpan.start).line,
    name: c.name,
    kind: c.kind,
    workload: c.workload,
    ...(c.image ? { image: c.image } : {}),
    imageFacts: toJsonImageFacts(c.imageFacts),
    user: { uid: c.user.value ?? null, ...(c.user.name ? { name: c.user.name } : {}), source: c.user.source },
    group: { gid: c.group.value ?? null, source: c.group.source },
    supplementalGroups: c.supplementalGroups.value,
    privileged: c.privileged.value,
    allowPrivilegeEscalation: c.allowPrivilegeEscalation.value,
    runAsNonRoot: c.runAsNonRoot.verdict,
    capabilities: c.capabilities ? { bounding: c.capabilities.bounding, effective: c.capabilities.effective } : null,
    seccomp: c.seccomp.value,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem.value,
  };
}

/** One cell shortened to `width` characters, keeping what identifies it. */
type Shorten = (value: string, width: number) => string;

const cutEnd: Shorten = (v, w) => (v.length <= w ? v : `${v.slice(0, Math.max(0, w - 1))}…`);
/** Paths keep their end (the file name and line): `…/k8s/deploy.yaml:12`. */
const cutStart: Shorten = (v, w) => (v.length <= w ? v : `…${v.slice(v.length - Math.max(0, w - 1))}`);
/** Capability lists keep whole names and count the rest: `CHOWN,DAC_OVERRIDE,… +11`. */
const cutList: Shorten = (v, w) => {
  if (v.length <= w || !/^[A-Z_]+(,[A-Z_]+)+$/.test(v)) return cutEnd(v, w);
  const names = v.split(',');
  for (let keep = names.length - 1; keep >= 0; keep--) {
    const s = `${names.slice(0, keep).join(',')}${keep ? ',' : ''}… +${names.length - keep}`;
    if (s.length <= w) return s;
  }
  return cutEnd(v, w);
};

/**
 * A table whose rows fit `maxWidth` columns: the widest shrinkable column (in `shrink`, with its
 * minimum width) gives up a character at a time until the table fits or none can shrink further.
 */
function fitTable(header: string[], rows: string[][], maxWidth: number, shrink: ReadonlyMap<number, { min: number; cut: Shorten }>): { text: string; abbreviated: boolean } {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  let abbreviated = false;
  while (total() > maxWidth) {
    let widest = -1;
    for (const [i, { min }] of shrink) if (widths[i] > Math.max(min, header[i].length) && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest]--;
    abbreviated = true;
  }
  const cell = (v: string, i: number) => { const c = shrink.get(i); return c && v.length > widths[i] ? c.cut(v, widths[i]) : v; };
  const fmt = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? cell(v, i) : cell(v, i).padEnd(widths[i]))).join('  ');
  return { text: [fmt(header), ...rows.map(fmt)].join('\n'), abbreviated };
}

/** Columns that give way (widest first) when the table is too wide; verdict columns never do. */
const EXPLAIN_SHRINK = new Map<number, { min: number; cut: Shorten }>([
  [0, { min: 14, cut: cutStart }], [1, { min: 10, cut: cutEnd }], [2, { min: 9, cut: cutEnd }], [3, { min: 8, cut: cutEnd }], [9, { min: 12, cut: cutList }], [10, { min: 8, cut: cutEnd }],
]);

/** The explain table, fitted to `maxWidth` columns (Infinity: every value in full, `--wide`). */
export function formatExplainText(containers: readonly JsonContainer[], maxWidth = Infinity): { text: string; abbreviated: boolean } {
  const header = ['FILE:LINE', 'WORKLOAD', 'CONTAINER', 'USER', 'GROUP', 'GROUPS', 'PRIV', 'ESCAL', 'NON-ROOT', 'EFFECTIVE CAPS', 'SECCOMP'];
  const rows = containers.map((c) => [
    `${c.file}:${c.line}`, c.workload, c.name,
    c.user.uid === null ? (c.user.name ? `${c.user.name}?` : '?') : `${c.user.uid}${c.user.name && c.user.name !== String(c.user.uid) ? `(${c.user.name})` : ''}`,
    c.group.gid === null ? '?' : String(c.group.gid),
    c.supplementalGroups.join(',') || '-',
    c.privileged ? 'yes' : 'no',
    c.allowPrivilegeEscalation ? 'yes' : 'no',
    c.runAsNonRoot,
    !c.capabilities ? 'n/a' : c.user.uid === null ? `? (bounding: ${c.capabilities.bounding.length === 41 ? 'ALL' : c.capabilities.bounding.length})` : c.capabilities.effective.length === 41 ? 'ALL' : c.capabilities.effective.join(',') || '-',
    c.seccomp,
  ]);
  return fitTable(header, rows, maxWidth, EXPLAIN_SHRINK);
}

export interface JsonImage {
  file: string; stage: string; index: number; final: boolean; line: number;
  user: { spec: string | null; name: string | null; uid: number | null; gid: number | null; line: number | null };
  /** The FROM image's facts (image facts or the well-known table); null for a stage base or an unknown image. */
  imageFacts: JsonImageFacts | null;
}

export function toJsonImages(file: string, model: DockerfileModel): JsonImage[] {
  return model.stages.map((s, i) => ({
    file,
    stage: s.name ?? String(s.index),
    index: s.index,
    final: i === model.stages.length - 1,
    line: s.line,
    user: { spec: s.user.spec ?? null, name: s.user.name ?? null, uid: s.user.uid ?? null, gid: s.user.gid ?? null, line: s.user.line ?? null },
    imageFacts: toJsonImageFacts(s.baseFacts),
  }));
}

/** The images table (one row per Dockerfile stage), fitted to `maxWidth` columns like explain's. */
export function formatImagesText(images: readonly JsonImage[], maxWidth = Infinity): { text: string; abbreviated: boolean } {
  const header = ['FILE:LINE', 'STAGE', 'FINAL', 'USER', 'UID', 'GID'];
  const rows = images.map((i) => [`${i.file}:${i.line}`, i.stage, i.final ? 'yes' : '', i.user.spec ?? '(none)', i.user.uid === null ? '?' : String(i.user.uid), i.user.gid === null ? '?' : String(i.user.gid)]);
  return fitTable(header, rows, maxWidth, new Map([[0, { min: 14, cut: cutStart }], [1, { min: 8, cut: cutEnd }], [3, { min: 8, cut: cutEnd }]]));
}
