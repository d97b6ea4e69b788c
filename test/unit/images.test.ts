/**
 * Unit tests of the workspace image index: links from `.secctx.yaml`, Compose and Skaffold to
 * Dockerfiles, their priority and nearness, refused paths, caching and invalidation.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../server/src/engine/config';
import { ImageIndex } from '../../server/src/engine/images/index';
import { imageRepository, parseImageReference } from '../../server/src/engine/images/reference';
import type { ImageBuild, ImageUser } from '../../server/src/engine/options';
import type { Span } from '../../server/src/engine/types';

const df = (...lines: string[]): string => lines.join('\n') + '\n';

/** The USER instruction's argument span and 1-based line, as ImageUser reports them. */
function userAt(text: string, spec: string): { userSpan: Span; userLine: number } {
  const userSpan = spanOfUser(text, spec);
  return { userSpan, userLine: text.slice(0, userSpan.start).split('\n').length };
}

function spanOfUser(text: string, spec: string): Span {
  const at = text.indexOf(`USER ${spec}`);
  assert.ok(at >= 0);
  return { start: at + 5, end: at + 5 + spec.length };
}

function spanOf(text: string, needle: string): Span {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return { start: at, end: at + needle.length };
}

const API_DOCKERFILE = df('FROM node:22-alpine', 'RUN addgroup -g 10001 app && adduser -D -u 10001 -G app app', 'USER app');
const WORKER_DOCKERFILE = df('FROM golang:1.22 AS build', 'FROM gcr.io/distroless/static:nonroot AS runtime', 'FROM runtime AS debug', 'USER root');
const APP_DOCKERFILE = df('FROM debian:12', 'RUN useradd -u 2000 -N svc', 'USER 2000');

const COMPOSE = df(
  'services:',
  '  api:',
  '    build: ./api',
  '    image: myorg/api:${TAG:-dev}',
  '  worker:',
  '    build:',
  '      context: ./worker',
  '      dockerfile: Dockerfile.prod',
  '      target: runtime',
  '    image: docker.io/myorg/worker',
  '  web:',
  '    build: .',
  '  remote:',
  '    build: https://github.com/example/remote.git',
  '    image: myorg/remote',
  '  plain:',
  '    image: redis:7',
);

const SKAFFOLD = df(
  'apiVersion: skaffold/v4beta11',
  'kind: Config',
  'build:',
  '  artifacts:',
  '    - image: myorg/app',
  '      context: app',
  '      docker:',
  '        dockerfile: build/Dockerfile',
  '    - image: myorg/jib',
  '      jib: {}',
  'profiles:',
  '  - name: dev',
  '    build:',
  '      artifacts:',
  '        - image: myorg/dev',
);

function workspace(): ImageIndex {
  const index = new ImageIndex({ roots: ['/ws'] });
  index.update('/ws/docker-compose.yaml', COMPOSE);
  index.update('/ws/api/Dockerfile', API_DOCKERFILE);
  index.update('/ws/worker/Dockerfile.prod', WORKER_DOCKERFILE);
  index.update('/ws/Dockerfile', APP_DOCKERFILE);
  index.update('/ws/skaffold.yaml', SKAFFOLD);
  index.update('/ws/app/build/Dockerfile', APP_DOCKERFILE);
  return index;
}

describe('image references', () => {
  const cases: [string, ReturnType<typeof parseImageReference>, string | undefined][] = [
    ['node', { path: 'node' }, 'node'],
    ['docker.io/library/node:22@sha256:abc', { path: 'node', tag: '22', digest: 'sha256:abc' }, 'node'],
    ['index.docker.io/myorg/api:1', { path: 'myorg/api', tag: '1' }, 'myorg/api'],
    ['localhost:5000/app:dev', { registry: 'localhost:5000', path: 'app', tag: 'dev' }, 'localhost:5000/app'],
    ['gcr.io/distroless/static:nonroot', { registry: 'gcr.io', path: 'distroless/static', tag: 'nonroot' }, 'gcr.io/distroless/static'],
    ['MyOrg/API', { path: 'myorg/api' }, 'myorg/api'],
    ['', undefined, undefined],
    ['a b', undefined, undefined],
  ];
  for (const [ref, parsed, repo] of cases) {
    test(JSON.stringify(ref), () => {
      assert.deepStrictEqual(parseImageReference(ref), parsed);
      assert.equal(imageRepository(ref), repo);
    });
  }
});

describe('links', () => {
  test('the links read from Compose and Skaffold', () => {
    assert.deepStrictEqual(workspace().links(), [
      { image: 'myorg/api', dockerfile: '/ws/api/Dockerfile', kind: 'compose', source: '/ws/docker-compose.yaml', via: 'docker-compose.yaml service api' },
      { image: 'myorg/worker', dockerfile: '/ws/worker/Dockerfile.prod', target: 'runtime', kind: 'compose', source: '/ws/docker-compose.yaml', via: 'docker-compose.yaml service worker' },
      { image: 'ws-web', dockerfile: '/ws/Dockerfile', kind: 'compose', source: '/ws/docker-compose.yaml', via: 'docker-compose.yaml service web' },
      { image: 'myorg/app', dockerfile: '/ws/app/build/Dockerfile', kind: 'skaffold', source: '/ws/skaffold.yaml', via: 'skaffold.yaml' },
      { image: 'myorg/dev', dockerfile: '/ws/Dockerfile', kind: 'skaffold', source: '/ws/skaffold.yaml', via: 'skaffold.yaml' },
    ]);
  });
});

describe('resolving an image to its Dockerfile\'s user', () => {
  const cases: { name: string; from: string; image: string; user: ImageUser | undefined; setup?: (index: ImageIndex) => void }[] = [
    {
      name: 'Compose build + image (tag and digest ignored)',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/api:1.2@sha256:0123',
      user: { spec: 'app', name: 'app', uid: 10001, gid: 10001, note: 'user app (uid 10001, gid 10001) created in Dockerfile line 2, via docker-compose.yaml service api', dockerfile: '/ws/api/Dockerfile', ...userAt(API_DOCKERFILE, 'app') },
    },
    {
      name: 'Compose build target: the named stage, not the last one',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/worker:v3',
      // No USER: the image config's User is the base image's, 65532 (what the kubelet checks).
      user: { spec: '65532', name: 'nonroot', uid: 65532, gid: 65532, note: 'no USER; base image gcr.io/distroless/static:nonroot runs as nonroot (uid 65532, gid 65532) (stage runtime), via docker-compose.yaml service worker', dockerfile: '/ws/worker/Dockerfile.prod' },
    },
    {
      name: 'no USER on a known root base image: no spec (root)',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/plain',
      setup: (index) => {
        index.update('/ws/.secctx.yaml', df('images:', '  myorg/plain: plain/Dockerfile'));
        index.update('/ws/plain/Dockerfile', df('FROM alpine:3.20', 'RUN apk add curl'));
      },
      user: { name: 'root', uid: 0, gid: 0, note: 'no USER; base image alpine:3.20 runs as root (uid 0, gid 0), via .secctx.yaml', dockerfile: '/ws/plain/Dockerfile' },
    },
    {
      name: 'no USER on an unknown base image: its own USER decides (unknownBase, no uid)',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/derived',
      setup: (index) => {
        index.update('/ws/.secctx.yaml', df('images:', '  myorg/derived: derived/Dockerfile'));
        index.update('/ws/derived/Dockerfile', df('FROM registry.example.com/team/base:7', 'COPY app /app'));
      },
      user: { unknownBase: 'registry.example.com/team/base:7', note: 'no USER in this Dockerfile, and base image registry.example.com/team/base:7 is not known: its own USER decides, via .secctx.yaml', dockerfile: '/ws/derived/Dockerfile' },
    },
    {
      name: 'Skaffold artifact with context and docker.dockerfile',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/app',
      user: { spec: '2000', name: 'svc', uid: 2000, gid: 100, note: 'USER 2000 in Dockerfile line 3 (uid 2000, gid 100), via skaffold.yaml', dockerfile: '/ws/app/build/Dockerfile', ...userAt(APP_DOCKERFILE, '2000') },
    },
    {
      name: 'not linked',
      from: '/ws/k8s/deploy.yaml',
      image: 'redis:7',
      user: undefined,
    },
    {
      name: '.secctx.yaml wins over Compose; docker.io/library/ is normalised',
      from: '/ws/k8s/deploy.yaml',
      image: 'docker.io/library/myapp:1',
      setup: (index) => index.update('/ws/.secctx.yaml', df('images:', '  myapp: app/build/Dockerfile', '  myorg/api: ./Dockerfile')),
      user: { spec: '2000', name: 'svc', uid: 2000, gid: 100, note: 'USER 2000 in Dockerfile line 3 (uid 2000, gid 100), via .secctx.yaml', dockerfile: '/ws/app/build/Dockerfile', ...userAt(APP_DOCKERFILE, '2000') },
    },
    {
      name: '.secctx.yaml before Compose for the same image',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/api',
      setup: (index) => index.update('/ws/.secctx.yaml', df('images:', '  myorg/api: ./Dockerfile')),
      user: { spec: '2000', name: 'svc', uid: 2000, gid: 100, note: 'USER 2000 in Dockerfile line 3 (uid 2000, gid 100), via .secctx.yaml', dockerfile: '/ws/Dockerfile', ...userAt(APP_DOCKERFILE, '2000') },
    },
    {
      name: 'a .secctx.yaml applies only below its directory',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/api',
      setup: (index) => index.update('/ws/other/.secctx.yaml', df('images:', '  myorg/api: ../Dockerfile')),
      user: { spec: 'app', name: 'app', uid: 10001, gid: 10001, note: 'user app (uid 10001, gid 10001) created in Dockerfile line 2, via docker-compose.yaml service api', dockerfile: '/ws/api/Dockerfile', ...userAt(API_DOCKERFILE, 'app') },
    },
    {
      name: 'the nearest Compose file wins',
      from: '/ws/services/api/k8s.yaml',
      image: 'myorg/api',
      setup: (index) => {
        index.update('/ws/services/compose.yaml', df('services:', '  api:', '    build: .', '    image: myorg/api'));
        index.update('/ws/services/Dockerfile', APP_DOCKERFILE);
      },
      user: { spec: '2000', name: 'svc', uid: 2000, gid: 100, note: 'USER 2000 in Dockerfile line 3 (uid 2000, gid 100), via services/compose.yaml service api', dockerfile: '/ws/services/Dockerfile', ...userAt(APP_DOCKERFILE, '2000') },
    },
    {
      name: 'a link to a Dockerfile that was never indexed is skipped',
      from: '/ws/k8s/deploy.yaml',
      image: 'myorg/gone',
      setup: (index) => index.update('/ws/.secctx.yaml', df('images:', '  myorg/gone: gone/Dockerfile')),
      user: undefined,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const index = workspace();
      c.setup?.(index);
      assert.deepStrictEqual(index.resolver(c.from)(c.image), c.user);
    });
  }
});

describe('resolving a Compose build to the Dockerfile in its context', () => {
  const cases: { name: string; from: string; build: ImageBuild; user: ImageUser | undefined }[] = [
    {
      name: 'the context is read from the Compose file\'s directory',
      from: '/ws/deploy/compose.yaml',
      build: { context: '../api' },
      user: { spec: 'app', name: 'app', uid: 10001, gid: 10001, note: 'user app (uid 10001, gid 10001) created in Dockerfile line 2, via build api/Dockerfile', dockerfile: '/ws/api/Dockerfile', ...userAt(API_DOCKERFILE, 'app') },
    },
    {
      name: 'dockerfile and target',
      from: '/ws/compose.yaml',
      build: { context: 'worker', dockerfile: 'Dockerfile.prod', target: 'runtime' },
      user: { spec: '65532', name: 'nonroot', uid: 65532, gid: 65532, note: 'no USER; base image gcr.io/distroless/static:nonroot runs as nonroot (uid 65532, gid 65532) (stage runtime), via build worker/Dockerfile.prod', dockerfile: '/ws/worker/Dockerfile.prod' },
    },
    { name: 'a Dockerfile that is not indexed', from: '/ws/compose.yaml', build: { context: './nothing' }, user: undefined },
    { name: 'a remote context', from: '/ws/compose.yaml', build: { context: 'https://github.com/example/app.git#main' }, user: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.deepStrictEqual(workspace().resolver(c.from).build?.(c.build), c.user));
});

describe('.secctx.yaml problems', () => {
  const config = df('images:', '  myorg/a: ../../etc/Dockerfile', '  myorg/b: /elsewhere/Dockerfile', '  myorg/c: sub/Dockerfile');

  test('paths that escape the workspace root are refused and reported', () => {
    const index = new ImageIndex({ roots: ['/ws'] });
    index.update('/ws/.secctx.yaml', config);
    index.update('/etc/Dockerfile', df('FROM alpine', 'USER 0'));
    assert.deepStrictEqual(index.configProblems('/ws/.secctx.yaml'), [
      { span: spanOf(config, '../../etc/Dockerfile'), message: '../../etc/Dockerfile is outside the workspace; secctx does not follow it.' },
      { span: spanOf(config, '/elsewhere/Dockerfile'), message: '/elsewhere/Dockerfile is outside the workspace; secctx does not follow it.' },
    ]);
    assert.equal(index.resolver('/ws/pod.yaml')('myorg/a'), undefined);
    assert.deepStrictEqual(index.missingDockerfiles(), ['/ws/sub/Dockerfile']);
  });

  test('an untrusted workspace follows no paths from .secctx.yaml', () => {
    const index = new ImageIndex({ roots: ['/ws'], followConfigPaths: false });
    const text = df('images:', '  myorg/c: sub/Dockerfile');
    index.update('/ws/.secctx.yaml', text);
    index.update('/ws/sub/Dockerfile', APP_DOCKERFILE);
    assert.deepStrictEqual(index.configProblems('/ws/.secctx.yaml'), [{ span: spanOf(text, 'sub/Dockerfile'), message: 'Not followed: the workspace is not trusted, so secctx does not read sub/Dockerfile.' }]);
    assert.equal(index.resolver('/ws/pod.yaml')('myorg/c'), undefined);
  });
});

describe('.secctx.yaml images: read once, by the config parser', () => {
  // The links are exactly the entries parseConfig accepts: what it reports as invalid is not followed.
  const cases: { name: string; text: string; links: [string, string][]; accepted: string[] }[] = [
    { name: 'image → path', text: df('images:', '  myorg/a: a/Dockerfile', '  docker.io/library/b:1: ./b/Dockerfile'), links: [['myorg/a', '/ws/a/Dockerfile'], ['b', '/ws/b/Dockerfile']], accepted: ['myorg/a', 'docker.io/library/b:1'] },
    { name: 'a number is not a path', text: df('images:', '  myorg/a: 42', '  myorg/b: b/Dockerfile'), links: [['myorg/b', '/ws/b/Dockerfile']], accepted: ['myorg/b'] },
    { name: 'invalid YAML (a duplicate key): the defaults apply, nothing is followed', text: df('images:', '  myorg/a: a/Dockerfile', '  myorg/a: b/Dockerfile'), links: [], accepted: [] },
    { name: 'images is not a map', text: df('images: [a/Dockerfile]'), links: [], accepted: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const index = new ImageIndex({ roots: ['/ws'] });
      index.update('/ws/.secctx.yaml', c.text);
      assert.deepStrictEqual({
        links: index.links().map((l) => [l.image, l.dockerfile]),
        accepted: Object.keys(parseConfig(c.text).config.images),
      }, { links: c.links, accepted: c.accepted });
    });
  }
});

describe('caching and invalidation', () => {
  test('an unchanged update is a no-op; unrelated files are ignored', () => {
    const index = workspace();
    assert.equal(index.update('/ws/api/Dockerfile', API_DOCKERFILE), false);
    assert.equal(index.update('/ws/docker-compose.yaml', COMPOSE), false);
    assert.equal(index.update('/ws/README.md', '# hi'), false);
    assert.equal(index.update('/ws/api/Dockerfile', API_DOCKERFILE + '# edit\n'), true);
  });

  test('identical Dockerfiles share one parsed model', () => {
    const index = workspace();
    assert.equal(index.model('/ws/Dockerfile'), index.model('/ws/app/build/Dockerfile'));
  });

  test('a Dockerfile edit changes what its dependents resolve to', () => {
    const index = workspace();
    const resolve = index.resolver('/ws/k8s/deploy.yaml');
    assert.equal(resolve('myorg/api')?.uid, 10001);
    index.update('/ws/api/Dockerfile', df('FROM node:22', 'USER node'));
    assert.deepStrictEqual(resolve('myorg/api'), { spec: 'node', name: 'node', uid: 1000, gid: 1000, note: 'user node (uid 1000, gid 1000) from base image node, via docker-compose.yaml service api', dockerfile: '/ws/api/Dockerfile', userSpan: { start: 18, end: 22 }, userLine: 2 });
  });

  test('dependents: the images that use a Dockerfile', () => {
    const index = workspace();
    assert.deepStrictEqual(index.dependents('/ws/Dockerfile'), ['myorg/dev', 'ws-web']);
    assert.deepStrictEqual(index.dependents('/ws/api/Dockerfile'), ['myorg/api']);
    assert.deepStrictEqual(index.dependents('/ws/nothing/Dockerfile'), []);
  });

  test('removing a Compose file removes its links', () => {
    const index = workspace();
    assert.equal(index.remove('/ws/docker-compose.yaml'), true);
    assert.equal(index.resolver('/ws/k8s/deploy.yaml')('myorg/api'), undefined);
    assert.deepStrictEqual(index.dependents('/ws/api/Dockerfile'), []);
  });

  test('Windows paths are read with / separators', () => {
    const index = new ImageIndex({ roots: ['C:\\ws'] });
    index.update('C:\\ws\\compose.yaml', df('services:', '  api:', '    build: ./api', '    image: myorg/api'));
    index.update('C:\\ws\\api\\Dockerfile', APP_DOCKERFILE);
    assert.deepStrictEqual(index.resolver('C:\\ws\\k8s\\pod.yaml')('myorg/api'), { spec: '2000', name: 'svc', uid: 2000, gid: 100, note: 'USER 2000 in Dockerfile line 3 (uid 2000, gid 100), via compose.yaml service api', dockerfile: 'C:\\ws\\api\\Dockerfile', ...userAt(APP_DOCKERFILE, '2000') });
  });

  test('malformed link files never throw', () => {
    const index = new ImageIndex({ roots: ['/ws'] });
    for (const text of ['services: [', ':\n  - ]', 'build:\n  artifacts: 3\n', '\u0000\uffff', 'images: 7\n']) {
      assert.doesNotThrow(() => {
        index.update('/ws/compose.yaml', text);
        index.update('/ws/skaffold.yaml', text);
        index.update('/ws/.secctx.yaml', text);
      });
    }
  });
});
