/**
 * The real-world corpus (../shared/corpus, see its SOURCES.md and summary.json): every file analyses,
 * Helm templates and non-Kubernetes YAML stay silent, and the only errors are known true positives.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { isMap, parseAllDocuments } from 'yaml';
import { Analyzer, detectFileKind, type FileAnalysis } from '../../server/src/engine/analyze';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { sharedPath } from '../support/shared';

const CORPUS = sharedPath('corpus');

interface CorpusEntry {
  readonly local_path: string;
  readonly category: string;
}

/**
 * Error findings on the corpus, each checked by hand against the file and the Kubernetes API:
 * `file:line rule`. A new entry here needs the same check; a false positive is a bug in the rule.
 */
const EXPECTED_ERRORS = [
  // Polaris' synthetic failure case puts `capabilities` in the pod securityContext, a field
  // PodSecurityContext does not have: the API server drops or rejects it.
  'FairwindsOps__polaris/test/checks/insecureCapabilities/failure.pod.yaml:9 capabilities-at-pod-level',
];

function corpusFiles(dir = CORPUS): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(p));
    else if (e.isFile() && dir !== CORPUS) out.push(path.relative(CORPUS, p));
  }
  return out.sort();
}

/** True when some document is a map with string `apiVersion` and `kind` (parsed independently of the engine). */
function hasKubernetesResource(text: string): boolean {
  try {
    return parseAllDocuments(text).some((doc) => 'contents' in doc && isMap(doc.contents) && typeof doc.contents.get('apiVersion') === 'string' && typeof doc.contents.get('kind') === 'string');
  } catch {
    return false;
  }
}

interface Analysed {
  readonly file: string;
  readonly category: string;
  readonly text: string;
  readonly analysis?: FileAnalysis;
  readonly error?: string;
}

describe('corpus', () => {
  const analysed: Analysed[] = [];

  before(() => {
    const summary = JSON.parse(readFileSync(path.join(CORPUS, 'summary.json'), 'utf8')) as { files: CorpusEntry[] };
    const category = new Map(summary.files.map((f) => [f.local_path, f.category]));
    const analyzer = new Analyzer();
    for (const file of corpusFiles()) {
      const text = readFileSync(path.join(CORPUS, file), 'utf8');
      try {
        analysed.push({ file, category: category.get(file) ?? 'unlisted', text, analysis: analyzer.analyze(path.join(CORPUS, file), text, DEFAULT_OPTIONS) });
      } catch (err) {
        analysed.push({ file, category: category.get(file) ?? 'unlisted', text, error: err instanceof Error ? err.stack ?? err.message : String(err) });
      }
    }
  });

  test('summary.json lists every file, and every file analyses without throwing', () => {
    assert.deepStrictEqual(
      { unlisted: analysed.filter((a) => a.category === 'unlisted').map((a) => a.file), thrown: analysed.filter((a) => a.error).map((a) => `${a.file}: ${a.error}`) },
      { unlisted: [], thrown: [] },
    );
    assert.ok(analysed.length >= 160, `expected the whole corpus, found ${analysed.length} files`);
  });

  test('Helm templates produce no findings', () => {
    const templates = analysed.filter((a) => a.category === 'helm' && a.file.split('/').includes('templates'));
    assert.ok(templates.length >= 8, `expected the Helm templates, found ${templates.length}`);
    assert.deepStrictEqual(templates.filter((a) => a.analysis?.findings.length).map((a) => `${a.file}: ${a.analysis?.findings.map((f) => f.rule).join(', ')}`), []);
  });

  test('YAML that holds no Kubernetes resource (Helm values and the like) produces no findings', () => {
    const plain = analysed.filter((a) => a.analysis?.kind === 'kubernetes' && detectFileKind(a.file) === 'kubernetes' && !a.file.split('/').includes('templates') && !hasKubernetesResource(a.text));
    assert.ok(plain.length >= 7, `expected values.yaml files and the like, found ${plain.length}`);
    assert.deepStrictEqual(plain.filter((a) => a.analysis?.findings.length).map((a) => `${a.file}: ${a.analysis?.findings.map((f) => f.rule).join(', ')}`), []);
  });

  // Compose files under other names are Compose by content (a top-level services: of service
  // definitions, no apiVersion/kind): docker/cli's loader example and e2e file, jitsi's jibri.yml.
  test('Compose files under other names are analysed as Compose', () => {
    const byContent = analysed.filter((a) => detectFileKind(a.file) === 'kubernetes' && a.analysis?.kind === 'compose').map((a) => a.file);
    assert.deepStrictEqual(byContent, ['docker__cli/cli/compose/loader/full-example.yml', 'docker__cli/e2e/compose-env.yaml', 'jitsi__docker-jitsi-meet/jibri.yml']);
  });

  test('the only error findings are the known true positives', () => {
    const errors = analysed.flatMap((a) => {
      const lines = new LineIndex(a.text);
      return (a.analysis?.findings ?? []).filter((f) => f.severity === 'error').map((f) => `${a.file}:${lines.position(f.span.start).line} ${f.rule}`);
    });
    assert.deepStrictEqual(errors, EXPECTED_ERRORS);
  });
});
