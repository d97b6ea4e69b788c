/**
 * The Dockerfile hooks of rules: non-numeric-user, unknown-user and run-as-root. Whole findings,
 * and each rule's documented examples (bad raises exactly it, good does not, the fix clears it).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDockerfile } from '../../server/src/engine/dockerfile/model';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import { ruleById } from '../../server/src/engine/rules/index';
import { runRules } from '../../server/src/engine/rules/run';
import type { Finding, Span, TextEdit } from '../../server/src/engine/types';

const df = (...lines: string[]): string => lines.join('\n') + '\n';

function findings(text: string, rule?: string): Finding[] {
  const all = runRules('dockerfile', parseDockerfile(text), text, DEFAULT_OPTIONS);
  return rule ? all.filter((f) => f.rule === rule) : all;
}

function span(text: string, needle: string, nth = 0): Span {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  return { start: at, end: at + needle.length };
}

/** The span of a USER instruction's argument. */
function arg(text: string, spec: string): Span {
  const s = span(text, `USER ${spec}`);
  return { start: s.start + 5, end: s.end };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

describe('documented examples', () => {
  for (const id of ['non-numeric-user', 'unknown-user']) {
    const docs = ruleById(id)?.meta.docs;
    test(`${id}: bad raises exactly it, good does not, the fix clears it`, () => {
      assert.ok(docs);
      assert.equal(docs.bad.file, 'Dockerfile');
      const bad = findings(docs.bad.code);
      assert.deepStrictEqual(bad.map((f) => f.rule), [id]);
      assert.deepStrictEqual(findings(docs.good.code, id), []);
      const fix = bad[0].fixes.find((f) => f.preferred) ?? bad[0].fixes[0];
      if (fix) assert.deepStrictEqual(findings(apply(docs.bad.code, fix.edits), id), []);
    });
  }
});

interface FindingCase {
  readonly name: string;
  readonly text: string;
  readonly rule: string;
  readonly findings: (text: string) => Finding[];
}

const cases: FindingCase[] = [
  {
    name: 'non-numeric-user: USER app:app becomes uid:gid',
    text: df('FROM alpine:3.20', 'RUN addgroup -S -g 10001 app && adduser -S -D -u 10001 -G app app', 'USER app:app'),
    rule: 'non-numeric-user',
    findings: (t) => [{
      rule: 'non-numeric-user', severity: 'warning', span: arg(t, 'app:app'),
      message: 'USER app:app is a name: with runAsNonRoot and no runAsUser, the kubelet cannot verify it is not root and will not start the container; app is uid 10001.',
      fixes: [{ title: 'Use USER 10001:10001', safety: 'safe', preferred: true, edits: [{ start: arg(t, 'app:app').start, end: arg(t, 'app:app').end, newText: '10001:10001' }] }],
    }],
  },
  {
    name: 'non-numeric-user: a user with supplementary groups keeps them with a bare uid',
    text: df('FROM debian:12', 'RUN groupadd -g 3000 app && useradd -u 3000 -g app -G audio app', 'USER app'),
    rule: 'non-numeric-user',
    findings: (t) => [{
      rule: 'non-numeric-user', severity: 'warning', span: arg(t, 'app'),
      message: 'USER app is a name: with runAsNonRoot and no runAsUser, the kubelet cannot verify it is not root and will not start the container; app is uid 3000.',
      fixes: [{ title: 'Use USER 3000', safety: 'safe', preferred: true, edits: [{ start: arg(t, 'app').start, end: arg(t, 'app').end, newText: '3000' }] }],
    }],
  },
  {
    name: 'non-numeric-user: a name from a build argument is replaced only as an unsafe fix',
    text: df('FROM node:22', 'ARG RUN_AS=node', 'USER ${RUN_AS}'),
    rule: 'non-numeric-user',
    findings: (t) => [{
      rule: 'non-numeric-user', severity: 'warning', span: arg(t, '${RUN_AS}'),
      message: 'USER ${RUN_AS} is a name: with runAsNonRoot and no runAsUser, the kubelet cannot verify it is not root and will not start the container; node is uid 1000.',
      fixes: [{ title: 'Use USER 1000:1000', safety: 'unsafe', preferred: true, edits: [{ start: arg(t, '${RUN_AS}').start, end: arg(t, '${RUN_AS}').end, newText: '1000:1000' }] }],
    }],
  },
  {
    name: 'non-numeric-user: a name on an unknown base is reported without a fix',
    text: df('FROM example.com/base:1', 'USER svc'),
    rule: 'non-numeric-user',
    findings: (t) => [{
      rule: 'non-numeric-user', severity: 'warning', span: arg(t, 'svc'),
      message: 'USER svc is a name: with runAsNonRoot and no runAsUser, the kubelet cannot verify it is not root and will not start the container; its uid is not known here (user svc is not created in this Dockerfile and base image example.com/base:1 is not known).',
      fixes: [],
    }],
  },
  {
    name: 'non-numeric-user: only the USER the image runs as',
    text: df('FROM debian:12 AS build', 'USER www-data', 'FROM debian:12', 'USER 33'),
    rule: 'non-numeric-user',
    findings: () => [],
  },
  {
    name: 'unknown-user: certain on a base whose accounts are all known',
    text: df('FROM scratch', 'COPY app /app', 'USER app:app'),
    rule: 'unknown-user',
    findings: (t) => [{
      rule: 'unknown-user', severity: 'error', span: arg(t, 'app:app'),
      message: 'No user app or group app exists in this image: the Dockerfile does not create it and base image scratch does not have it, so the container fails to start.',
      fixes: [],
    }],
  },
  {
    // In any stage the build runs: here the final stage copies from `build` (dockerfile-runtime.test.ts).
    name: 'unknown-user: a warning over a base image\'s standard accounts, in any stage the build runs',
    text: df('FROM alpine:3.20 AS build', 'USER builder', 'RUN make', 'FROM alpine:3.20', 'COPY --from=build /out /out', 'USER nobody'),
    rule: 'unknown-user',
    findings: (t) => [{
      rule: 'unknown-user', severity: 'warning', span: arg(t, 'builder'),
      message: 'The Dockerfile does not create user builder, and it is not a standard account of base image alpine:3.20: the build or the container fails unless something else adds it.',
      fixes: [],
    }],
  },
  {
    name: 'unknown-user: nothing when the base is unknown',
    text: df('FROM example.com/base:1', 'USER svc'),
    rule: 'unknown-user',
    findings: () => [],
  },
  {
    name: 'run-as-root: no USER on a root base appends a USER',
    text: df('FROM node:22', 'CMD ["node", "app.js"]'),
    rule: 'run-as-root',
    findings: (t) => [{
      rule: 'run-as-root', severity: 'warning', span: span(t, 'node:22'),
      message: 'The image runs as root (uid 0): there is no USER, and base image node:22 runs as root.',
      fixes: [{ title: 'Run as uid 10001 (USER 10001)', safety: 'unsafe', edits: [{ start: t.length, end: t.length, newText: 'USER 10001\n' }] }],
    }],
  },
  {
    name: 'run-as-root: USER root in the final stage is replaced',
    text: df('FROM gcr.io/distroless/static:nonroot', 'USER root'),
    rule: 'run-as-root',
    findings: (t) => [{
      rule: 'run-as-root', severity: 'warning', span: arg(t, 'root'),
      message: 'The image runs as root (uid 0): USER root on line 2 sets it.',
      fixes: [{ title: 'Run as uid 10001 (USER 10001)', safety: 'unsafe', edits: [{ start: arg(t, 'root').start, end: arg(t, 'root').end, newText: '10001' }] }],
    }],
  },
  {
    name: 'run-as-root: a root USER inherited from an earlier stage',
    text: 'FROM debian:12 AS base\nUSER 0\nFROM base',
    rule: 'run-as-root',
    findings: (t) => [{
      rule: 'run-as-root', severity: 'warning', span: arg(t, '0'),
      message: 'The image runs as root (uid 0): the final stage inherits USER 0 on line 2 from an earlier stage.',
      fixes: [{ title: 'Run as uid 10001 (USER 10001)', safety: 'unsafe', edits: [{ start: t.length, end: t.length, newText: '\nUSER 10001\n' }] }],
    }],
  },
  {
    name: 'run-as-root: nothing for a non-root final stage or an unknown base',
    text: df('FROM debian:12 AS build', 'RUN make', 'FROM gcr.io/distroless/static:nonroot', 'FROM example.com/base:1'),
    rule: 'run-as-root',
    findings: () => [],
  },
];

describe('findings', () => {
  for (const c of cases) {
    test(c.name, () => {
      assert.deepStrictEqual(findings(c.text, c.rule), c.findings(c.text));
    });
  }
});
