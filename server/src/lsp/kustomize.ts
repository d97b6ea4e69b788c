/**
 * Kustomize builds in the editor: the findings of a file across the builds that read it, and the
 * effective context of a container in each build, for hovers. The builds themselves run in
 * host/kustomize/workspace.ts; this only reads their last results.
 */
import * as path from 'node:path';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { parseAllDocuments } from 'yaml';
import { LineIndex } from '../engine/lines';
import { pathAt } from '../engine/kustomize/fieldPath';
import { combineFindings, type BuildFindings } from '../engine/kustomize/overlays';
import { formatCaps, formatUser, verdictText } from '../engine/present/markdown';
import type { Finding } from '../engine/types';
import { MISSING_KUSTOMIZE } from '../host/kustomize/binary';
import { KustomizeService } from '../host/kustomize/service';
import { KustomizeWorkspace, type BuildState } from '../host/kustomize/workspace';
import type { AnalysisOptions } from '../engine/options';

const buildName = (b: BuildState) => path.basename(b.dir);

/**
 * Whether the file is a patch or kustomization file of a build: judged alone it means nothing (a
 * patch lacks what its base sets, so alone it would show gaps the build does not have). A patch is
 * known as one from the kustomization files, before the build first runs.
 */
function isBuildInput(file: string, builds: readonly BuildState[]): boolean {
  return builds.some((b) => b.patchFiles.has(file) || (b.result?.status === 'ok' && (b.result.judgement.patchFiles.has(file) || [...b.result.tree.nodes.values()].some((n) => n.file === file))));
}

/**
 * A file's findings: its own, combined with what the builds reading it found in it (when the build
 * saw this very text; otherwise its own until the next build ends), and the builds' problems.
 */
export function buildFindings(file: string, text: string, alone: readonly Finding[], builds: readonly BuildState[]): Finding[] {
  if (!builds.length) return [...alone];
  const views: BuildFindings[] = [];
  const problems: Finding[] = [];
  for (const b of builds) {
    const r = b.result;
    if (!r) continue;
    if (r.status === 'ok') {
      if (r.tree.files.get(file) === text) views.push({ name: buildName(b), findings: r.judgement.findings.filter((f) => f.file === file) });
    } else if (r.status === 'missing') {
      if (r.kustomizationFile === file) problems.push({ rule: 'kustomize-build', severity: 'info', message: MISSING_KUSTOMIZE, span: { start: 0, end: 0 }, fixes: [] });
    } else {
      for (const p of r.problems) if (p.file === file) problems.push({ rule: 'kustomize-build', severity: r.status === 'failed' ? 'error' : 'warning', message: p.message, span: p.span, fixes: [] });
    }
  }
  if (isBuildInput(file, builds)) {
    const syntax = alone.filter((f) => f.rule === 'yaml-syntax');
    return [...problems, ...syntax, ...combineFindings(undefined, views)];
  }
  return [...problems, ...(views.length ? combineFindings(alone, views) : alone)];
}

/** The container named at `offset` (in `containers`, `initContainers` or `ephemeralContainers`), if any. */
function containerAt(text: string, offset: number): string | undefined {
  const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false, strict: false });
  const doc = (Array.isArray(docs) ? docs : [docs]).find((d) => offset >= d.range[0] && offset <= d.range[2]);
  if (!doc) return undefined;
  const steps = pathAt(doc.contents, offset);
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i];
    const list = steps[i - 1];
    if (typeof step === 'object' && (list === 'containers' || list === 'initContainers' || list === 'ephemeralContainers')) return step.name;
  }
  return undefined;
}

/** Hover on a container in a base or a patch: its effective context in each build that has it. */
export function buildHover(file: string, text: string, offset: number, builds: readonly BuildState[]): string | undefined {
  const name = containerAt(text, offset);
  if (name === undefined) return undefined;
  const sections: string[] = [];
  for (const b of builds) {
    const r = b.result;
    if (r?.status !== 'ok') continue;
    const patch = r.judgement.patchFiles.has(file);
    for (const c of r.judgement.containers) {
      if (c.context.name !== name || (!patch && c.at?.file !== file)) continue;
      const link = (key: keyof typeof c.values) => {
        const at = c.values[key];
        if (!at) return '';
        const line = new LineIndex(r.tree.files.get(at.file) ?? '').position(at.span.start).line;
        return ` ([${path.relative(path.dirname(file), at.file) || path.basename(at.file)}:${line}](${URI.file(at.file).toString()}#L${line}))`;
      };
      const ctx = c.context;
      sections.push([
        `**overlay ${buildName(b)}** — \`${ctx.workload}\``,
        '',
        `- user: ${formatUser(ctx)}${link('user')}`,
        `- capabilities: ${ctx.capabilities ? formatCaps(ctx.capabilities.effective) : 'n/a'}${link('capabilities')}`,
        `- privilege escalation: ${ctx.allowPrivilegeEscalation.value ? 'allowed' : 'blocked'}${link('allowPrivilegeEscalation')}`,
        `- runAsNonRoot: ${verdictText(ctx)}${link('runAsNonRoot')}`,
        `- seccomp: ${ctx.seccomp.value}${link('seccomp')}`,
        `- privileged: ${ctx.privileged.value ? 'yes' : 'no'}${link('privileged')}`,
      ].join('\n'));
    }
  }
  return sections.length ? `**As built by kustomize**\n\n${sections.join('\n\n')}` : undefined;
}

/** The editor's hover with the builds' sections after it. */
export function withBuildHover(hover: Hover | null, extra: string | undefined): Hover | null {
  if (!extra) return hover;
  const contents = hover?.contents;
  const before = contents && typeof contents === 'object' && 'kind' in contents ? contents.value : '';
  return { ...(hover ?? {}), contents: { kind: MarkupKind.Markdown, value: before ? `${before}\n\n---\n\n${extra}` : extra } };
}

export interface KustomizeFeatureHost {
  readonly roots: readonly string[];
  readonly openText: (file: string) => string | undefined;
  readonly optionsFor: (file: string) => AnalysisOptions;
  /** `kustomize` of the .secctx.yaml that applies to a directory. */
  readonly configFor: (dir: string) => { readonly path?: string; readonly timeoutSeconds?: number } | undefined;
  /** Reanalyse the open documents among these files. */
  readonly revalidate: (files: ReadonlySet<string>) => void;
  readonly log: (message: string) => void;
}

/** The server's one handle on kustomize: only in trusted workspaces (builds run a binary). */
export class KustomizeFeature {
  private readonly service = new KustomizeService();
  private readonly workspace: KustomizeWorkspace;
  private editorPath: string | undefined;

  constructor(private readonly host: KustomizeFeatureHost) {
    this.workspace = new KustomizeWorkspace(host.roots, this.service, {
      openText: host.openText,
      optionsFor: host.optionsFor,
      settingsFor: (dir) => {
        const config = host.configFor(dir);
        return { path: this.editorPath ?? config?.path, timeoutMs: config?.timeoutSeconds ? config.timeoutSeconds * 1000 : undefined };
      },
      onResult: (build) => host.revalidate(build.files),
      log: host.log,
    });
  }

  start(): void {
    void this.workspace.scan().then((n) => { if (n) this.host.log(`found ${n} kustomizations`); }, (err: unknown) => this.host.log(`kustomize scan failed: ${String(err)}`));
  }

  /** `secctx.kustomize.path`: a change re-runs every build. */
  configure(editorPath: string | undefined): void {
    if (editorPath === this.editorPath) return;
    this.editorPath = editorPath;
    for (const b of this.workspace.builds.values()) this.workspace.schedule(b);
  }

  touched(file: string): void {
    this.workspace.touched(file);
  }

  /** Whether overlay builds change this file's findings (else they are the file's own, judged alone). */
  affects(file: string): boolean {
    return this.workspace.buildsOf(file).length > 0;
  }

  findings(file: string, text: string, alone: readonly Finding[]): readonly Finding[] {
    const builds = this.workspace.buildsOf(file);
    return builds.length ? buildFindings(file, text, alone, builds) : alone;
  }

  hover(file: string, text: string, offset: number, base: Hover | null): Hover | null {
    const builds = this.workspace.buildsOf(file);
    return builds.length ? withBuildHover(base, buildHover(file, text, offset, builds)) : base;
  }

  /** True while a build runs (the benchmark waits on diagnostics, not on this). */
  get busy(): boolean {
    return !this.workspace.idle();
  }
}
