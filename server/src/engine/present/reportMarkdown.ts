/**
 * The report as Markdown, for pull-request comments (`secctx explain --format markdown`) and the panel's
 * "Copy as Markdown": the same model as the HTML page, in GitHub-flavoured Markdown.
 */
import { CAPABILITY_COUNT, VERDICT_LABEL, type CapabilityFlow, type ReportContainer, type ReportFile, type ReportFinding, type ReportModel } from './report';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function names(list: readonly string[]): string {
  if (list.length === 0) return 'none';
  if (list.length === CAPABILITY_COUNT) return `all ${CAPABILITY_COUNT}`;
  return list.map((n) => `\`${n}\``).join(' ');
}

function flow(f: CapabilityFlow): string[] {
  if (f.privileged) return [`- **privileged**: every capability (all ${CAPABILITY_COUNT}) and every host device; add and drop do not apply`];
  return [
    `- ${f.runtime} default (${f.runtimeDefault.length}): ${names(f.runtimeDefault)}`,
    `- \\+ add: ${f.addAll ? `**ALL** (every capability)` : names(f.added)}`,
    `- − drop: ${f.dropAll ? `**ALL** (the whole default set)` : names(f.dropped)}`,
    ...(f.ignored.length ? [`- ignored by ${f.runtime}: ${f.ignored.map((n) => `\`${n}\``).join(' ')}`] : []),
    `- = bounding (${f.bounding.length}): ${names(f.bounding)}`,
    `- effective (${f.effective.length}): ${names(f.effective)} — ${f.effectiveWhy}`,
  ];
}

function findings(list: readonly ReportFinding[], display: string): string[] {
  return list.map((f) => `- **${f.severity}** ${f.display ?? display}:${f.line} ${f.message} (\`${f.rule}\`)`);
}

function container(c: ReportContainer, display: string): string[] {
  return [
    `#### ${c.name} — ${VERDICT_LABEL[c.verdict]}`,
    '',
    `${display}:${c.line}${c.image ? ` · image \`${c.image}\`` : ''}`,
    '',
    '| | effective | from |',
    '|---|---|---|',
    ...c.values.map((v) => `| ${cell(v.label)} | ${cell(v.value)} | ${cell(v.source.text)}${v.source.line !== undefined && v.source.path !== undefined ? ` (line ${v.source.line})` : ''} |`),
    '',
    ...(c.capabilities ? ['Capabilities:', '', ...flow(c.capabilities), ''] : []),
    ...(c.findings.length ? ['Findings:', '', ...findings(c.findings, display), ''] : []),
  ];
}

function file(f: ReportFile): string[] {
  const out = [`## ${f.display}${f.build ? ` (kustomize build ${f.build})` : ''}`, ''];
  for (const w of f.workloads) {
    out.push(`### ${w.label}`, '');
    for (const c of w.containers) out.push(...container(c, f.display));
  }
  if (f.stages.length) {
    out.push('### Dockerfile stages', '', '| stage | FROM | user | from |', '|---|---|---|---|');
    for (const s of f.stages) out.push(`| ${cell(s.name)}${s.final ? ' (final)' : ''} | ${cell(s.base)} | ${cell(s.user)} | ${cell(s.source.text)} |`);
    out.push('');
  }
  if (f.findings.length) out.push('### Other findings', '', ...findings(f.findings, f.display), '');
  return out;
}

export function reportMarkdown(model: ReportModel, title = 'Effective security context'): string {
  const body = model.files.length ? model.files.flatMap(file) : ['No containers, services or Dockerfile stages here.', ''];
  const text = [`# ${title}`, '', ...body].join('\n');
  let end = text.length;
  while (end > 0 && text[end - 1] === '\n') end--;
  return `${text.slice(0, end)}\n`;
}
