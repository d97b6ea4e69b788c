/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, the SARIF multitool), typed with
 * `@types/sarif` (the DefinitelyTyped model of the OASIS schema) so a misspelt property fails the
 * build instead of the upload. `test/unit/sarif-schema.test.ts` validates every log the suite writes
 * against the official 2.1.0 JSON schema.
 *
 * - Locations inside the working directory are relative URIs (each segment percent-encoded:
 *   spaces, `#`, unicode) against `%SRCROOT%`, which `originalUriBaseIds` maps to the working
 *   directory's file URL; others are absolute `file:` URLs from `pathToFileURL`.
 * - Every rule carries `security-severity` (GitHub ranks alerts by it), tags and its docs.
 * - `invocations` records the exit status and one notification per unreadable file or bad config.
 * - Each finding's fixes become `fixes` with `artifactChanges`.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULES } from '../engine/rules/index';
import { ruleDocsUrl } from '../engine/rules/rule';
import type { Severity } from '../engine/types';
import type { JsonFinding } from './format';
import type { InputProblem } from './inputs';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * GitHub's scale: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. A rule's default
 * severity decides it: an error (the workload will not start, or a runtime silently ignores a
 * setting) is high, a warning (a real privilege) medium, information low.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0', hint: '1.0' };

export interface SarifInput {
  readonly findings: readonly JsonFinding[];
  /** The absolute path of each finding's `file` (as displayed). */
  readonly absoluteOf: (display: string) => string;
  readonly problems: readonly InputProblem[];
  readonly exitCode: number;
  readonly version: string;
  readonly cwd: string;
  readonly commandLine: readonly string[];
}

function encodeSegments(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

/** A relative `%SRCROOT%` URI inside the working directory, a `file:` URL outside it. */
export function artifactLocation(absolute: string, cwd: string): Sarif.ArtifactLocation {
  const rel = path.relative(cwd, absolute);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: encodeSegments(rel.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
  return { uri: pathToFileURL(absolute).href };
}

function rule(id: string, title: string, summary: string, why: string, severity: Severity, tags: string[]): Sarif.ReportingDescriptor {
  const plain = (s: string) => s.replace(/`/g, '');
  return {
    id,
    name: id.replace(/(^|-)(\w)/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: title },
    fullDescription: { text: plain(summary) },
    helpUri: ruleDocsUrl(id),
    help: { text: plain(why ? `${summary}\n\n${why}` : summary), markdown: `${why ? `${summary}\n\n${why}` : summary}\n\n[Documentation](${ruleDocsUrl(id)})` },
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { tags, precision: 'high', 'security-severity': SECURITY_SEVERITY[severity] },
  };
}

export function formatSarif(input: SarifInput): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = RULES.map((r) => rule(r.meta.id, r.meta.title, r.meta.docs.summary, r.meta.docs.why, r.meta.defaultSeverity, ['security', r.meta.category, ...(r.meta.pss ? [`pod-security-${r.meta.pss.level}`] : [])]));
  const ids = rules.map((r) => r.id);
  for (const id of new Set(input.findings.map((f) => f.rule))) {
    if (ids.includes(id)) continue;
    // Findings outside the registry (docker-syntax, line-too-long, kustomize-build): an id and a link.
    rules.push({ id, shortDescription: { text: id }, helpUri: ruleDocsUrl(id), properties: { 'security-severity': SECURITY_SEVERITY.info } });
    ids.push(id);
  }
  const location = (f: { file: string }) => artifactLocation(input.absoluteOf(f.file), input.cwd);
  const results: Sarif.Result[] = input.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ids.indexOf(f.rule),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: location(f), region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } } }],
    ...(f.fixes.some((fix) => fix.edits.length) ? {
      fixes: f.fixes.filter((fix) => fix.edits.length).map((fix): Sarif.Fix => ({
        description: { text: `${fix.title}${fix.safety === 'safe' ? '' : ` (${fix.safety})`}` },
        artifactChanges: [{
          artifactLocation: location(f),
          replacements: fix.edits.map((e) => ({ deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn }, insertedContent: { text: e.newText } })),
        }],
      })),
    } : {}),
    ...(f.pss ? { properties: { pss: f.pss } } : {}),
  }));
  const notifications: Sarif.Notification[] = input.problems.map((p) => ({
    level: p.fatal ? 'error' : 'warning',
    message: { text: p.message },
    ...(p.file ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(path.resolve(p.file), input.cwd) } }] } : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'secctx', informationUri: 'https://github.com/secctx/secctx', version: input.version, semanticVersion: input.version, rules } },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(input.cwd).href.replace(/\/?$/, '/')}` } },
      invocations: [{
        executionSuccessful: input.exitCode !== 2,
        exitCode: input.exitCode,
        commandLine: ['secctx', ...input.commandLine].map((a) => (/[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' '),
        toolExecutionNotifications: notifications,
      }],
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
