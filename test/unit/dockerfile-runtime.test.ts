/**
 * What a build actually produces, where BuildKit and BusyBox decide: the scope of an ARG before FROM,
 * the ids `adduser -S`/`addgroup -S` pick on Alpine, and which stages a build runs at all. Each test
 * names the upstream function it follows.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { finalImageUser } from '../../server/src/engine/dockerfile/imageUser';
import { parseDockerfile, stagesBuilt } from '../../server/src/engine/dockerfile/model';
import { ImageIndex } from '../../server/src/engine/images/index';
import { LineIndex } from '../../server/src/engine/lines';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const lines = (...l: string[]): string => l.join('\n') + '\n';

function imageUser(dockerfile: string): { spec?: string; uid?: number; gid?: number; note: string } {
  const u = finalImageUser(parseDockerfile(dockerfile), 'Dockerfile');
  return { ...(u.spec !== undefined ? { spec: u.spec } : {}), ...(u.uid !== undefined ? { uid: u.uid } : {}), ...(u.gid !== undefined ? { gid: u.gid } : {}), note: u.note };
}

/** The runAsNonRoot verdict of a pod whose image the Dockerfile builds. */
function verdict(dockerfile: string): { verdict: string; message?: string } {
  const index = new ImageIndex({ roots: ['/ws'] });
  index.update('/ws/.secctx.yaml', lines('images:', '  example.com/app: app/Dockerfile'));
  index.update('/ws/app/Dockerfile', dockerfile);
  const pod = lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  securityContext:', '    runAsNonRoot: true', '  containers:', '    - name: app', '      image: example.com/app:1');
  const [ctx] = new Analyzer().analyze('/ws/k8s/pod.yaml', pod, { ...DEFAULT_OPTIONS, images: index.resolver('/ws/k8s/pod.yaml') }).contexts;
  return { verdict: ctx.runAsNonRoot.verdict, ...(ctx.runAsNonRoot.message !== undefined ? { message: ctx.runAsNonRoot.message } : {}) };
}

describe('an ARG before FROM is not visible in the stage unless re-declared', () => {
  // BuildKit dockerfile2llb: meta ARGs (before the first FROM) expand FROM lines only; dispatchArg
  // gives a stage's `ARG UID` (no default) the meta ARG's value; USER expands with the stage's env.
  test('not re-declared, known base: USER $UID is empty, the image runs as root and runAsNonRoot fails', () => {
    const dockerfile = lines('ARG UID=1000', 'FROM debian:12', 'USER $UID');
    assert.deepStrictEqual(imageUser(dockerfile), {
      spec: '', uid: 0, gid: 0,
      note: 'USER $UID in Dockerfile line 3 expands to nothing (ARG UID before FROM is not visible in the stage: re-declare it after FROM): the image runs as root (uid 0, gid 0)',
    });
    assert.deepStrictEqual(verdict(dockerfile), { verdict: 'fail', message: 'container has runAsNonRoot and image will run as root' });
  });
  test('re-declared without a default: judged by the global default, and --build-arg can change it', () => {
    const dockerfile = lines('ARG UID=1000', 'FROM debian:12', 'ARG UID', 'USER $UID');
    assert.deepStrictEqual(imageUser(dockerfile), { spec: '1000', uid: 1000, note: 'USER $UID in Dockerfile line 4 (ARG UID default, --build-arg can change it) (uid 1000)' });
    assert.deepStrictEqual(verdict(dockerfile), { verdict: 'pass', message: 'judged by the default of ARG UID: --build-arg can change it' });
  });
  test('an unknown base may set UID in its ENV: still unknown', () => {
    assert.deepStrictEqual(verdict(lines('ARG UID=1000', 'FROM example.com/base:1', 'USER $UID')).verdict, 'unknown');
  });
});

describe('BusyBox adduser -S / addgroup -S on Alpine: the first free id from 100', () => {
  // BusyBox loginutils/addgroup.c xgroup_study and adduser.c passwd_study: `-S` starts at
  // CONFIG_FIRST_SYSTEM_ID (100), otherwise at CONFIG_LAST_SYSTEM_ID + 1 (1000), and takes the first
  // id not in /etc/group (/etc/passwd); `adduser -S` without -G uses nogroup. Alpine's base files have
  // no uid 100 and `users` is gid 100.
  const cases: { name: string; dockerfile: string; expected: { uid?: number; gid?: number } }[] = [
    { name: 'addgroup -S app && adduser -S -G app app: uid 100, gid 101', dockerfile: lines('FROM alpine:3.20', 'RUN addgroup -S app && adduser -S -G app app', 'USER app'), expected: { uid: 100, gid: 101 } },
    { name: 'adduser -S app: uid 100 in nogroup (65533)', dockerfile: lines('FROM alpine:3.20', 'RUN adduser -S app', 'USER app'), expected: { uid: 100, gid: 65533 } },
    { name: 'two system users: 100 and 101', dockerfile: lines('FROM alpine:3.20', 'RUN adduser -S one && adduser -S two', 'USER two'), expected: { uid: 101, gid: 65533 } },
    { name: 'adduser -D app: uid 1000 and its own group 1000', dockerfile: lines('FROM alpine:3.20', 'RUN adduser -D app', 'USER app'), expected: { uid: 1000, gid: 1000 } },
    { name: 'after apk add, a package may have taken ids: unknown', dockerfile: lines('FROM alpine:3.20', 'RUN apk add --no-cache nginx && addgroup -S app && adduser -S -G app app', 'USER app'), expected: {} },
    { name: 'an explicit -u still wins', dockerfile: lines('FROM alpine:3.20', 'RUN addgroup -S app && adduser -S -u 900 -G app app', 'USER app'), expected: { uid: 900, gid: 101 } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const { uid, gid } = imageUser(c.dockerfile);
      assert.deepStrictEqual({ ...(uid !== undefined ? { uid } : {}), ...(gid !== undefined ? { gid } : {}) }, c.expected);
    });
  }
});

describe('unknown-user only in stages the build runs', () => {
  // BuildKit dockerfile2llb builds the target stage and what it depends on (its FROM stage and
  // COPY --from sources); other stages are never run, so their USER cannot fail the build.
  const dockerfile = lines(
    'FROM alpine:3.20 AS tools',
    'USER builder',
    'FROM alpine:3.20 AS assets',
    'USER packer',
    'RUN touch /out',
    'FROM gcr.io/distroless/static',
    'COPY --from=assets /out /out',
  );
  test('the stages built for the final image', () => {
    assert.deepStrictEqual([...stagesBuilt(parseDockerfile(dockerfile))].sort(), [1, 2]);
  });
  test('a USER in a stage nothing uses is not reported; one in a copied-from stage is', () => {
    const index = new LineIndex(dockerfile);
    const found = new Analyzer().analyze('Dockerfile', dockerfile, DEFAULT_OPTIONS).findings.filter((f) => f.rule === 'unknown-user').map((f) => index.position(f.span.start).line);
    assert.deepStrictEqual(found, [4]);
  });
});
