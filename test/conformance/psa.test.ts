/**
 * Conformance against the Pod Security Admission fixtures Kubernetes itself tests with
 * (../shared/conformance/psa, k8s.io/pod-security-admission test/testdata): every pod under `pass/` must be
 * allowed, every pod under `fail/` forbidden, with `expectErrorSubstring` in the message the way upstream's
 * test/run.go checks it (a substring of the admission error, whose variable part is the aggregated
 * `reason (detail), reason (detail)` list).
 */
import { sharedPath } from '../support/shared';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { evaluatePodSecurity, formatPssViolations, parseKubeVersion } from '../../server/src/engine/pss/index';
import type { PssLevel } from '../../server/src/engine/types';

const fixturesRoot = sharedPath('conformance', 'psa');

interface Fixture {
  readonly path: string;
  readonly level: PssLevel;
  readonly version: string;
  readonly expected: 'allowed' | 'forbidden';
  readonly expectErrorSubstring?: string;
}

interface Manifest {
  readonly count: number;
  readonly fixtures: readonly Fixture[];
}

interface Disagreement {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFixture(value: unknown): value is Fixture {
  return (
    isRecord(value) &&
    typeof value['path'] === 'string' &&
    (value['level'] === 'baseline' || value['level'] === 'restricted') &&
    typeof value['version'] === 'string' &&
    (value['expected'] === 'allowed' || value['expected'] === 'forbidden') &&
    (value['expectErrorSubstring'] === undefined || typeof value['expectErrorSubstring'] === 'string')
  );
}

function readManifest(): Manifest {
  const parsed: unknown = JSON.parse(readFileSync(path.join(fixturesRoot, 'manifest.json'), 'utf8'));
  assert.ok(isRecord(parsed) && typeof parsed['count'] === 'number' && Array.isArray(parsed['fixtures']), 'manifest shape');
  const fixtures: unknown[] = parsed['fixtures'];
  const malformed = fixtures.filter((fixture) => !isFixture(fixture));
  assert.deepStrictEqual(malformed, [], 'fixtures of an unexpected shape');
  return { count: parsed['count'], fixtures: fixtures.filter(isFixture) };
}

function judge(fixture: Fixture): Disagreement | undefined {
  const pod: unknown = parse(readFileSync(path.join(fixturesRoot, fixture.path), 'utf8'));
  const violations = evaluatePodSecurity(pod, fixture.level, parseKubeVersion(fixture.version));
  const message = formatPssViolations(violations);
  const got = violations.length === 0 ? 'allowed' : `forbidden: ${message}`;
  if (fixture.expected === 'allowed') {
    return violations.length === 0 ? undefined : { path: fixture.path, expected: 'allowed', got };
  }
  const substring = fixture.expectErrorSubstring;
  const expected = substring === undefined ? 'forbidden' : `forbidden, mentioning ${JSON.stringify(substring)}`;
  if (violations.length === 0) return { path: fixture.path, expected, got };
  if (substring !== undefined && !message.includes(substring)) return { path: fixture.path, expected, got };
  return undefined;
}

test('Pod Security Admission conformance: every upstream fixture is judged as upstream judges it', () => {
  const manifest = readManifest();
  assert.equal(manifest.fixtures.length, manifest.count);
  assert.equal(manifest.count, 4537);
  const disagreements: Disagreement[] = [];
  for (const fixture of manifest.fixtures) {
    const disagreement = judge(fixture);
    if (disagreement) disagreements.push(disagreement);
  }
  assert.deepStrictEqual(disagreements, []);
});
