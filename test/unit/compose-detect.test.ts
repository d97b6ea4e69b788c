/**
 * Compose files by content, not only by name: Compose (`docker compose -f stack.yml`) and
 * `docker stack deploy -c` load any file; what makes one is a top-level `services:` of service
 * definitions (compose-go loader: `services` is a mapping of service name to its properties), and
 * no `apiVersion`/`kind`.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer, detectFileKind } from '../../server/src/engine/analyze';
import { looksLikeCompose } from '../../server/src/engine/docker/detect';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const lines = (...l: string[]): string => l.join('\n') + '\n';
const STACK = lines('version: "3.8"', 'services:', '  api:', '    image: api:1', '    privileged: true', '  db:', '    build: ./db');

describe('Compose files by content', () => {
  const cases: { path: string; text: string; kind: string }[] = [
    { path: 'stack.yml', text: STACK, kind: 'compose' },
    { path: 'docker-stack.yml', text: STACK, kind: 'compose' },
    { path: 'deploy/prod.yml', text: STACK, kind: 'compose' },
    { path: 'app.compose.yaml', text: STACK, kind: 'compose' },
    { path: 'compose.yaml', text: 'services: {}\n', kind: 'compose' },
    // A Kubernetes resource that happens to have a `services:` key is not Compose.
    { path: 'svc.yaml', text: lines('apiVersion: v1', 'kind: List', 'services:', '  api:', '    image: x'), kind: 'kubernetes' },
    // `services:` of something else (no service properties) is not Compose.
    { path: 'values.yaml', text: lines('services:', '  enabled: true', '  names: [a, b]'), kind: 'kubernetes' },
    { path: 'ci.yml', text: lines('jobs:', '  build:', '    services:', '      db:', '        image: postgres'), kind: 'kubernetes' },
  ];
  for (const c of cases) test(`${c.path}: ${c.kind}`, () => assert.equal(detectFileKind(c.path, c.text), c.kind));

  test('a stack file is analysed as Compose: its services and their findings', () => {
    const a = new Analyzer().analyze('deploy/stack.yml', STACK, DEFAULT_OPTIONS);
    assert.deepStrictEqual({ kind: a.kind, services: a.contexts.map((c) => c.name), privileged: a.findings.some((f) => f.rule === 'privileged') }, { kind: 'compose', services: ['api', 'db'], privileged: true });
  });

  test('looksLikeCompose needs at least one service definition', () => {
    assert.deepStrictEqual([looksLikeCompose(STACK), looksLikeCompose('services:\n  a: 1\n'), looksLikeCompose('services: []\n')], [true, false, false]);
  });
});
