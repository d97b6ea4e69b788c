/**
 * The report as one self-contained HTML page: the VS Code report panel (a webview) and
 * `secctx explain --format html` (a CI artifact) render the same model the same way.
 *
 * Strict Content-Security-Policy: nothing remote, no inline handlers; the one style block and (in the
 * panel) the one script are allowed by their SHA-256 hashes, so the page is the same on every run.
 * Colours come from VS Code's theme variables, with light and dark fallbacks for a browser.
 */
import { createHash } from 'node:crypto';
import { CAPABILITY_COUNT, VERDICT_LABEL, type CapabilityFlow, type ReportContainer, type ReportFile, type ReportFinding, type ReportModel, type ReportSource } from './report';

export interface HtmlOptions {
  /** `panel`: links post a message to the extension (which opens the line); `static`: `file:line` text. */
  readonly mode: 'panel' | 'static';
  readonly title?: string;
  /** What the page is about, under the title: `pod.yaml`, `3 files`. */
  readonly subtitle?: string;
}

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
:root { color-scheme: light dark; --fg: var(--vscode-foreground, CanvasText); --bg: var(--vscode-editor-background, Canvas);
  --muted: var(--vscode-descriptionForeground, GrayText); --border: var(--vscode-panel-border, rgba(128,128,128,.35));
  --card: var(--vscode-sideBar-background, rgba(128,128,128,.06)); --link: var(--vscode-textLink-foreground, LinkText);
  --add: var(--vscode-gitDecoration-addedResourceForeground, #2da44e); --drop: var(--vscode-gitDecoration-deletedResourceForeground, #cf222e);
  --warn: var(--vscode-editorWarning-foreground, #bf8700); --err: var(--vscode-editorError-foreground, #cf222e); --info: var(--vscode-editorInfo-foreground, #0969da); }
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--fg); background: var(--bg); margin: 0; padding: 12px 16px; line-height: 1.45; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; margin-bottom: 8px; }
h1 { font-size: 1.3em; margin: 0; } h2 { font-size: 1.1em; margin: 20px 0 6px; border-bottom: 1px solid var(--border); padding-bottom: 2px; }
h3 { font-size: 1em; margin: 14px 0 6px; color: var(--muted); font-weight: 600; }
.sub { color: var(--muted); } button { font: inherit; color: var(--vscode-button-foreground, ButtonText); background: var(--vscode-button-background, ButtonFace); border: 0; padding: 3px 10px; border-radius: 2px; cursor: pointer; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 360px), 1fr)); gap: 10px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 4px; padding: 8px 10px; min-width: 0; }
.card h4 { margin: 0 0 4px; font-size: 1em; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.badge { font-size: .85em; padding: 0 6px; border-radius: 8px; border: 1px solid currentColor; white-space: nowrap; }
.v-will-not-start, .v-privileged { color: var(--err); } .v-root, .v-unknown-user, .v-restricted-gaps { color: var(--warn); } .v-ok { color: var(--add); }
table { border-collapse: collapse; width: 100%; table-layout: fixed; } td { padding: 2px 4px; vertical-align: top; overflow-wrap: anywhere; border-top: 1px solid var(--border); }
td:first-child { width: 34%; color: var(--muted); } td.src { color: var(--muted); font-size: .9em; }
a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
.flow { margin: 8px 0 2px; display: grid; grid-template-columns: minmax(90px, max-content) 1fr; gap: 3px 8px; align-items: start; }
.flow .step { color: var(--muted); font-size: .9em; white-space: nowrap; }
.chips { display: flex; flex-wrap: wrap; gap: 3px; } .chip { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: .82em; padding: 0 4px; border-radius: 3px; border: 1px solid var(--border); }
.chip.add { color: var(--add); border-color: var(--add); } .chip.drop { color: var(--drop); border-color: var(--drop); text-decoration: line-through; }
.chip.all { font-weight: 700; } .none { color: var(--muted); font-style: italic; }
.banner { color: var(--err); font-weight: 600; }
ul.findings { margin: 6px 0 0; padding-left: 18px; } ul.findings li { margin: 1px 0; }
.sev-error { color: var(--err); } .sev-warning { color: var(--warn); } .sev-info, .sev-hint { color: var(--info); }
code { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: .92em; }
.rule { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: .85em; color: var(--muted); }
`;

const SCRIPT = `
const vscode = acquireVsCodeApi();
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('[data-path]') : null;
  if (link) { event.preventDefault(); vscode.postMessage({ type: 'open', path: link.getAttribute('data-path'), line: Number(link.getAttribute('data-line')) }); }
  const copy = event.target instanceof Element ? event.target.closest('#copy-markdown') : null;
  if (copy) vscode.postMessage({ type: 'copyMarkdown' });
});
`;

/** Escapes text and shows its `code` spans as code (provenance sentences name fields that way). */
const inline = (s: string): string => escape(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const hash = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

function where(source: ReportSource | { path: string; line: number }, label: string, options: HtmlOptions): string {
  if (!('path' in source) || source.path === undefined || source.line === undefined) return inline(label);
  if (options.mode === 'panel') return `<a href="#" data-path="${escape(source.path)}" data-line="${source.line}">${inline(label)}</a>`;
  return `${inline(label)} <span class="sub">(line ${source.line})</span>`;
}

function chips(names: readonly string[], cls = ''): string {
  if (names.length === 0) return '<span class="none">none</span>';
  if (names.length === CAPABILITY_COUNT) return `<span class="chip all ${cls}">all ${CAPABILITY_COUNT}</span>`;
  return `<div class="chips">${names.map((n) => `<span class="chip ${cls}">${escape(n)}</span>`).join('')}</div>`;
}

function flow(f: CapabilityFlow): string {
  const rows: [string, string][] = [];
  if (f.privileged) {
    rows.push(['privileged', `<span class="banner">every capability (all ${CAPABILITY_COUNT}) and every host device; add and drop do not apply</span>`]);
  } else {
    rows.push([`${f.runtime} default (${f.runtimeDefault.length})`, chips(f.runtimeDefault)]);
    rows.push(['+ add', f.addAll ? `<span class="chip add all">ALL — every capability (${CAPABILITY_COUNT})</span>` : chips(f.added, 'add')]);
    rows.push(['− drop', f.dropAll ? `<span class="chip drop all">ALL — the whole default set</span>${f.added.length ? ' <span class="sub">then the adds are put back</span>' : ''}` : chips(f.dropped, 'drop')]);
    if (f.ignored.length) rows.push([`ignored by ${f.runtime}`, chips(f.ignored)]);
  }
  rows.push([`= bounding (${f.bounding.length})`, chips(f.bounding)]);
  rows.push([`effective (${f.effective.length})`, `${chips(f.effective)}<div class="sub">${escape(f.effectiveWhy)}</div>`]);
  return `<div class="flow" aria-label="capability flow">${rows.map(([step, body]) => `<div class="step">${escape(step)}</div><div>${body}</div>`).join('')}</div>`;
}

function findingList(findings: readonly ReportFinding[], path: string, options: HtmlOptions): string {
  if (findings.length === 0) return '';
  return `<ul class="findings">${findings.map((f) => `<li><span class="sev-${f.severity}">${f.severity}</span> ${where({ path: f.path ?? path, line: f.line }, f.display ? `${f.display}: ${f.message}` : f.message, options)} <span class="rule">${escape(f.rule)}</span></li>`).join('')}</ul>`;
}

function card(c: ReportContainer, path: string, options: HtmlOptions): string {
  const caps = c.capabilities;
  const data = [
    `data-container="${escape(c.name)}"`,
    `data-verdict="${c.verdict}"`,
    caps ? `data-bounding="${caps.bounding.length}" data-effective="${caps.effective.length}"` : '',
  ].filter(Boolean).join(' ');
  const kind = c.kind === 'compose-service' ? 'Compose service' : c.kind === 'docker-run' ? 'docker run' : c.kind;
  return `<section class="card" ${data}>
<h4>${where({ path, line: c.line }, c.name, options)} <span class="sub">${escape(kind)}${c.image ? ` · ${escape(c.image)}` : ''}</span> <span class="badge v-${c.verdict}">${escape(VERDICT_LABEL[c.verdict])}</span></h4>
<table>${c.values.map((v) => `<tr><td>${escape(v.label)}</td><td>${escape(v.value)}<div class="src">${where(v.source, v.source.text, options)}</div></td></tr>`).join('')}</table>
${caps ? flow(caps) : '<div class="sub">Windows pod: no Linux capabilities.</div>'}
${findingList(c.findings, path, options)}
</section>`;
}

function file(f: ReportFile, options: HtmlOptions): string {
  const parts = [`<h2>${escape(f.display)}${f.build ? ` <span class="sub">kustomize build ${escape(f.build)}</span>` : ''}</h2>`];
  for (const w of f.workloads) parts.push(`<h3>${escape(w.label)}</h3>`, `<div class="cards">${w.containers.map((c) => card(c, f.path, options)).join('')}</div>`);
  if (f.stages.length) {
    parts.push('<h3>Dockerfile stages</h3>', `<table>${f.stages.map((s) => `<tr><td>${where({ path: f.path, line: s.line }, s.name, options)}${s.final ? ' <span class="badge">final</span>' : ''}<div class="src">FROM ${escape(s.base)}</div></td><td>${escape(s.user)}<div class="src">${where(s.source, s.source.text, options)}</div></td></tr>`).join('')}</table>`);
  }
  if (f.findings.length) parts.push('<h3>Other findings</h3>', findingList(f.findings, f.path, options));
  return parts.join('\n');
}

export function reportHtml(model: ReportModel, options: HtmlOptions): string {
  const title = options.title ?? 'Effective security context';
  const csp = [`default-src 'none'`, `style-src ${hash(STYLE)}`, ...(options.mode === 'panel' ? [`script-src ${hash(SCRIPT)}`] : [])].join('; ');
  const body = model.files.length ? model.files.map((f) => file(f, options)).join('\n') : '<p class="sub">No containers, services or Dockerfile stages here.</p>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escape(title)}</h1>${options.subtitle ? `<span class="sub">${escape(options.subtitle)}</span>` : ''}${options.mode === 'panel' ? '<button id="copy-markdown" type="button">Copy as Markdown</button>' : ''}</header>
${body}
${options.mode === 'panel' ? `<script>${SCRIPT}</script>` : ''}
</body>
</html>
`;
}
