/**
 * Report formats CI systems read: JUnit XML (Jenkins, GitLab test reports, Azure), Checkstyle XML
 * (Jenkins warnings-ng, reviewdog), Code Climate JSON (GitLab code quality) and GitHub workflow
 * commands (annotations on the pull request). Each takes the same findings as text/json/sarif.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Severity } from '../engine/types';
import type { JsonFinding } from './format';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
  // XML 1.0 has no way to write most control characters: drop them.
  .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const byFile = (findings: readonly JsonFinding[], files: readonly string[]) => {
  const map = new Map<string, JsonFinding[]>(files.map((f) => [f, []]));
  for (const f of findings) map.set(f.file, [...(map.get(f.file) ?? []), f]);
  return map;
};

/** A path for tools that want it relative to the repository (the working directory), `/`-separated. */
export function relativePath(absolute: string, cwd: string): string {
  const rel = path.relative(cwd, absolute);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : absolute).split(path.sep).join('/');
}

/** eslint's junit layout: a testsuite per file, a failing testcase per finding, one passing testcase for a clean file. */
export function formatJunit(findings: readonly JsonFinding[], files: readonly string[]): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<testsuites>'];
  for (const [file, list] of byFile(findings, files)) {
    const errors = list.filter((f) => f.severity === 'error').length;
    out.push(`<testsuite package="org.secctx" time="0" tests="${Math.max(list.length, 1)}" errors="${errors}" failures="${list.length - errors}" name="${xml(file)}">`);
    if (!list.length) out.push(`<testcase time="0" name="${xml(file)}" classname="secctx" />`);
    for (const f of list) {
      const tag = f.severity === 'error' ? 'error' : 'failure';
      out.push(`<testcase time="0" name="org.secctx.${xml(f.rule)}" classname="${xml(file)}"><${tag} message="${xml(f.message)}"><![CDATA[line ${f.line}, col ${f.column}, ${f.severity} - ${f.message.replace(/]]>/g, ']]]]><![CDATA[>')} (${f.rule})]]></${tag}></testcase>`);
    }
    out.push('</testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n');
}

/** Checkstyle 4.3, as eslint writes it. */
export function formatCheckstyle(findings: readonly JsonFinding[], files: readonly string[]): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const [file, list] of byFile(findings, files)) {
    out.push(`<file name="${xml(file)}">`);
    for (const f of list) out.push(`<error line="${f.line}" column="${f.column}" severity="${f.severity === 'hint' ? 'info' : f.severity}" message="${xml(`${f.message} (${f.rule})`)}" source="secctx.${xml(f.rule)}" />`);
    out.push('</file>');
  }
  out.push('</checkstyle>');
  return out.join('\n');
}

const CODECLIMATE_SEVERITY: Record<Severity, string> = { error: 'critical', warning: 'major', info: 'minor', hint: 'info' };

/**
 * GitLab's code quality report (a subset of Code Climate's issue format): description, check_name,
 * fingerprint, severity, location.path (relative to the repository) and lines.begin. The
 * fingerprint hashes file, rule, message and the occurrence count, not the line, so that moving
 * code does not make an old finding look new.
 */
export function formatCodeClimate(findings: readonly JsonFinding[], pathOf: (display: string) => string): string {
  const seen = new Map<string, number>();
  return JSON.stringify(findings.map((f) => {
    const file = pathOf(f.file);
    const key = `${file}\0${f.rule}\0${f.message}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      type: 'issue',
      check_name: f.rule,
      description: f.message,
      categories: ['Security'],
      severity: CODECLIMATE_SEVERITY[f.severity],
      fingerprint: createHash('sha256').update(`${key}\0${n}`).digest('hex'),
      location: { path: file, lines: { begin: f.line, end: f.endLine } },
    };
  }), null, 2);
}

/** GitHub's escaping for a workflow command's message (actions/toolkit `escapeData`). */
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** …and for a property value (`escapeProperty`): also `:` and `,`. */
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const GITHUB_COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/** `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`, one per finding. */
export function formatGithub(findings: readonly JsonFinding[], pathOf: (display: string) => string): string {
  return findings.map((f) => {
    const props = [`file=${escapeProperty(pathOf(f.file))}`, `line=${f.line}`, `endLine=${f.endLine}`, `col=${f.column}`, `endColumn=${f.endColumn}`, `title=${escapeProperty(`secctx ${f.rule}`)}`];
    return `::${GITHUB_COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
  }).join('\n');
}
