/**
 * Unit tests of the Dockerfile model: whole resolved users and accounts for real-world Dockerfiles
 * (docker-library, distroless, ingress-nginx, Argo CD, Dashboard, …) and for ARG/ENV substitution,
 * multi-stage builds, heredocs, exec-form RUN and /etc/passwd writes; hovers and ImageUser notes;
 * and every Dockerfile of the corpus parsing without throwing.
 */
import { sharedPath } from '../support/shared';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Origin, ResolvedUser, UserAccount, GroupAccount } from '../../server/src/engine/dockerfile/model';
import { parseDockerfile } from '../../server/src/engine/dockerfile/model';
import { dockerfileHover } from '../../server/src/engine/dockerfile/hover';
import { finalImageUser } from '../../server/src/engine/dockerfile/imageUser';
import { baseImageFacts } from '../../server/src/engine/dockerfile/baseImages';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import type { Span } from '../../server/src/engine/types';

const CORPUS = sharedPath('corpus');

function corpus(path: string): string {
  return readFileSync(join(CORPUS, path), 'utf8');
}

/** The span of the nth occurrence of `needle` (0-based). */
function span(text: string, needle: string, nth = 0): Span {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" not found`);
  }
  return { start: at, end: at + needle.length };
}

/** From the start of `first` to the end of `last` (the first `last` after it). */
function spanFromTo(text: string, first: string, last: string): Span {
  const start = span(text, first).start;
  const end = text.indexOf(last, start) + last.length;
  return { start, end };
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function origin(text: string, how: string, s: Span): Origin {
  return { how, line: lineAt(text, s.start), span: s };
}

const df = (...lines: string[]): string => lines.join('\n') + '\n';

/** The resolved user of a USER instruction: its spec, line and argument span in `text`. */
function fromUser(text: string, spec: string, rest: Omit<ResolvedUser, 'source' | 'spec' | 'line' | 'span'>, nth = 0): ResolvedUser {
  const s = span(text, `USER ${spec}`, nth);
  const arg = { start: s.start + 5, end: s.end };
  return { source: 'user-instruction', spec, line: lineAt(text, s.start), span: arg, ...rest };
}

interface UserCase {
  readonly name: string;
  readonly text: string;
  readonly user: (text: string) => ResolvedUser;
}

const userCases: UserCase[] = [
  {
    name: 'docker-library postgres (Debian): no USER, root from the debian base',
    text: corpus('docker-library__postgres/18/trixie/Dockerfile'),
    user: () => ({ source: 'base-image', image: 'debian:trixie-slim', name: 'root', group: 'root', uid: 0, gid: 0 }),
  },
  {
    name: 'docker:dind-rootless: BusyBox adduser -u 1000 without -G creates group rootless with gid = uid',
    text: corpus('docker-library__docker/29/dind-rootless/Dockerfile'),
    user: (t) => fromUser(t, 'rootless', {
      value: 'rootless', name: 'rootless', uid: 1000, gid: 1000, group: 'rootless',
      createdAt: origin(t, 'adduser', spanFromTo(t, "adduser -h /home/rootless", '-u 1000 rootless')),
    }),
  },
  {
    name: 'Argo CD: USER $ARGOCD_USER_ID through ENV, argocd created by useradd -r -u $ARGOCD_USER_ID -g argocd',
    text: corpus('argoproj__argo-cd/Dockerfile'),
    user: (t) => fromUser(t, '$ARGOCD_USER_ID', {
      value: '999', name: 'argocd', uid: 999, gid: 999, group: 'argocd',
      createdAt: origin(t, 'useradd', span(t, 'useradd -r -u $ARGOCD_USER_ID -g argocd argocd')),
    }, 1),
  },
  {
    name: 'Dashboard: scratch with /etc/passwd copied from an alpine stage, USER nonroot:nonroot',
    text: corpus('kubernetes__dashboard/modules/api/Dockerfile'),
    user: (t) => fromUser(t, 'nonroot:nonroot', {
      value: 'nonroot:nonroot', name: 'nonroot', uid: 10001, gid: 10001, group: 'nonroot',
      createdAt: origin(t, 'adduser', spanFromTo(t, 'adduser \\', '"${USER}"')),
    }),
  },
  {
    name: 'Tetragon docs: Debian adduser --system puts hugo in nogroup; USER hugo:hugo names the group',
    text: corpus('cilium__tetragon/docs/Dockerfile.hugo'),
    user: (t) => fromUser(t, 'hugo:hugo', {
      value: 'hugo:hugo', name: 'hugo', uid: 1000, gid: 1000, group: 'hugo',
      createdAt: origin(t, 'adduser', span(t, 'adduser --system --gecos hugo --uid 1000 --home /var/hugo hugo')),
    }),
  },
  {
    name: 'jessfraz chrome: useradd -r without -u leaves the uid unknown',
    text: corpus('jessfraz__dockerfiles/chrome/stable/Dockerfile'),
    user: (t) => fromUser(t, 'chrome', {
      value: 'chrome', name: 'chrome', group: 'chrome',
      createdAt: origin(t, 'useradd', span(t, 'useradd -r -g chrome -G audio,video chrome')),
      reason: 'chrome is created without an explicit uid',
    }),
  },
  {
    name: 'ingress-nginx chroot: BusyBox adduser -G www-data takes Alpine\'s www-data group (82)',
    text: corpus('kubernetes__ingress-nginx/rootfs/Dockerfile-chroot'),
    user: (t) => fromUser(t, 'www-data', {
      value: 'www-data', name: 'www-data', uid: 101, gid: 82, group: 'www-data',
      createdAt: origin(t, 'adduser', spanFromTo(t, 'adduser -S -D -H -u 101 -h /usr/local/nginx', '-g www-data www-data')),
    }),
  },
  {
    name: 'kube-webhook-certgen: USER 65532:65532 on distroless nonroot names the nonroot account',
    text: corpus('kubernetes__ingress-nginx/images/kube-webhook-certgen/rootfs/Dockerfile'),
    user: (t) => fromUser(t, '65532:65532', {
      value: '65532:65532', name: 'nonroot', uid: 65532, gid: 65532, group: 'nonroot',
      createdAt: { how: 'base image gcr.io/distroless/static' },
    }),
  },
  {
    name: 'distroless example: default tag runs as root',
    text: corpus('GoogleContainerTools__distroless/examples/go/Dockerfile'),
    user: () => ({ source: 'base-image', image: 'gcr.io/distroless/static-debian12', name: 'root', group: 'root', uid: 0, gid: 0 }),
  },
  {
    name: 'Online Boutique cartservice: USER 1000 on an unknown base leaves the gid unknown',
    text: corpus('GoogleCloudPlatform__microservices-demo/src/cartservice/src/Dockerfile'),
    user: (t) => fromUser(t, '1000', { value: '1000', uid: 1000, reason: 'uid 1000 has no account known here: its gid is that of its /etc/passwd entry, or 0 without one' }),
  },
  {
    name: 'OpenTelemetry image-provider: USER 101 on nginx-unprivileged is its nginx account',
    text: corpus('open-telemetry__opentelemetry-demo/src/image-provider/Dockerfile'),
    user: (t) => fromUser(t, '101', {
      value: '101', name: 'nginx', uid: 101, gid: 101, group: 'nginx',
      createdAt: { how: 'base image nginxinc/nginx-unprivileged' },
    }),
  },
  {
    name: 'jessfraz pulseaudio: useradd without -u, then usermod -aG adds groups',
    text: corpus('jessfraz__dockerfiles/pulseaudio/Dockerfile'),
    user: (t) => fromUser(t, 'pulseaudio', {
      value: 'pulseaudio', name: 'pulseaudio', group: 'pulseaudio',
      createdAt: origin(t, 'useradd', span(t, 'useradd --create-home --home-dir $HOME pulseaudio')),
      reason: 'pulseaudio is created without an explicit uid',
    }),
  },
  {
    name: 'multi-stage: FROM builder inherits the builder\'s USER',
    text: df('FROM alpine:3.20 AS builder', 'RUN addgroup -S -g 2000 app && adduser -S -G app -u 10001 app', 'USER app', 'FROM builder', 'RUN true'),
    user: (t) => ({
      ...fromUser(t, 'app', { value: 'app', name: 'app', uid: 10001, gid: 2000, group: 'app', createdAt: origin(t, 'adduser', span(t, 'adduser -S -G app -u 10001 app')) }),
      source: 'inherited-stage',
    }),
  },
  {
    name: 'a global ARG re-declared in the stage takes its default',
    text: df('ARG UID=1000', 'FROM debian:12', 'ARG UID', 'USER ${UID}'),
    user: (t) => fromUser(t, '${UID}', { buildArgs: ['UID'], value: '1000', uid: 1000, reason: 'uid 1000 has no account known here: its gid is that of its /etc/passwd entry, or 0 without one' }),
  },
  {
    name: 'a global ARG not re-declared is not visible in the stage',
    text: df('ARG UID=1000', 'FROM debian:12', 'USER $UID'),
    // BuildKit dockerfile2llb: it expands to nothing over a known base, so the image runs as root.
    user: (t) => fromUser(t, '$UID', { hiddenArgs: ['UID'], value: '', name: 'root', uid: 0, gid: 0, group: 'root' }),
  },
  {
    name: 'an ARG without default is unresolved',
    text: df('FROM debian:12', 'ARG UID', 'USER $UID'),
    user: (t) => fromUser(t, '$UID', { reason: 'USER $UID does not resolve: ARG UID has no default (set with --build-arg)' }),
  },
  {
    name: '${UID:-1000} with ARG UID unset uses the word; ${GID:+…} of an unset ARG is empty',
    text: df('FROM debian:12', 'ARG UID', 'ARG GID', 'USER ${UID:-1000}${GID:+:5}'),
    user: (t) => fromUser(t, '${UID:-1000}${GID:+:5}', { buildArgs: ['UID', 'GID'], value: '1000', uid: 1000, reason: 'uid 1000 has no account known here: its gid is that of its /etc/passwd entry, or 0 without one' }),
  },
  {
    name: 'ENV wins over an ARG of the same name; ENV values are substituted',
    text: df('FROM node:22', 'ENV APP_UID=1000', 'ARG APP_UID=2000', 'ENV SPEC="${APP_UID}:${APP_UID}"', 'USER $SPEC'),
    user: (t) => fromUser(t, '$SPEC', { value: '1000:1000', name: 'node', uid: 1000, gid: 1000, group: 'node', createdAt: { how: 'base image node' } }),
  },
  {
    name: 'heredoc RUN: groupadd and useradd in the script',
    text: df('FROM ubuntu:22.04', 'RUN <<EOF', 'set -e', 'groupadd -g 2000 app', 'useradd -u 2000 -g app -m app', 'EOF', 'USER app'),
    user: (t) => fromUser(t, 'app', { value: 'app', name: 'app', uid: 2000, gid: 2000, group: 'app', createdAt: origin(t, 'useradd', span(t, 'useradd -u 2000 -g app -m app')) }),
  },
  {
    name: 'exec-form RUN: useradd -N takes group 100 (users)',
    text: df('FROM debian:12', 'RUN ["useradd", "-u", "1234", "-N", "svc"]', 'USER svc'),
    user: (t) => fromUser(t, 'svc', { value: 'svc', name: 'svc', uid: 1234, gid: 100, group: 'users', createdAt: origin(t, 'useradd', span(t, '"useradd", "-u", "1234", "-N", "svc"')) }),
  },
  {
    name: 'exec-form sh -c: the script is read with exact offsets',
    text: df('FROM debian:12', 'RUN ["/bin/sh", "-c", "groupadd -r -g 900 web && useradd -r -u 900 -g web web"]', 'USER web'),
    user: (t) => fromUser(t, 'web', { value: 'web', name: 'web', uid: 900, gid: 900, group: 'web', createdAt: origin(t, 'useradd', span(t, 'useradd -r -u 900 -g web web')) }),
  },
  {
    name: 'RUN --mount flags, set -x; prefix and continuations with comment lines',
    text: df('FROM debian:12', 'RUN --mount=type=cache,target=/var/cache/apt set -x; \\', '# a comment line inside the continuation', '    groupadd --gid=3000 svc \\', '    && useradd --uid=3000 --gid=svc svc', 'USER svc'),
    user: (t) => fromUser(t, 'svc', { value: 'svc', name: 'svc', uid: 3000, gid: 3000, group: 'svc', createdAt: origin(t, 'useradd', span(t, 'useradd --uid=3000 --gid=svc svc')) }),
  },
  {
    name: 'echo lines appended to /etc/passwd and /etc/group',
    text: df('FROM alpine:3.20', "RUN echo 'app:x:1001:1001::/app:/bin/sh' >> /etc/passwd && echo 'app:x:1001:' >> /etc/group", 'USER app'),
    user: (t) => fromUser(t, 'app', { value: 'app', name: 'app', uid: 1001, gid: 1001, createdAt: origin(t, '/etc/passwd', span(t, "echo 'app:x:1001:1001::/app:/bin/sh'")) }),
  },
  {
    name: 'cat <<EOF >> /etc/passwd',
    text: df('FROM busybox:1.37', 'RUN cat <<EOF >> /etc/passwd', 'svc:x:4000:4000::/:/bin/false', 'EOF', 'USER svc'),
    user: (t) => fromUser(t, 'svc', { value: 'svc', name: 'svc', uid: 4000, gid: 4000, createdAt: origin(t, '/etc/passwd', span(t, 'cat')) }),
  },
  {
    name: 'usermod and groupmod move a base image account',
    text: df('FROM nginx:1.27', 'RUN usermod -u 1001 nginx && groupmod -g 1001 nginx', 'USER nginx'),
    user: (t) => fromUser(t, 'nginx', {
      value: 'nginx', name: 'nginx', uid: 1001, gid: 1001, group: 'nginx', createdAt: { how: 'base image nginx' },
    }),
  },
  {
    name: 'Debian adduser --system --group creates a group with the user\'s id',
    text: df('FROM debian:12', 'RUN adduser --system --group --uid 950 daemonuser', 'USER daemonuser'),
    user: (t) => fromUser(t, 'daemonuser', { value: 'daemonuser', name: 'daemonuser', uid: 950, gid: 950, group: 'daemonuser', createdAt: origin(t, 'adduser', span(t, 'adduser --system --group --uid 950 daemonuser')) }),
  },
  {
    name: 'useradd -u without -g, then USER by name: the user group has the uid as its gid (hover and manifest card agree)',
    text: df('FROM debian:12', 'RUN useradd -u 1500 dev', 'USER dev'),
    user: (t) => fromUser(t, 'dev', { value: 'dev', name: 'dev', uid: 1500, gid: 1500, group: 'dev', createdAt: origin(t, 'useradd', span(t, 'useradd -u 1500 dev')) }),
  },
  {
    name: 'USER app:1000 and a numeric group',
    text: df('FROM debian:12', 'RUN useradd -u 5000 app', 'USER app:1000'),
    user: (t) => fromUser(t, 'app:1000', { value: 'app:1000', name: 'app', uid: 5000, gid: 1000, createdAt: origin(t, 'useradd', span(t, 'useradd -u 5000 app')) }),
  },
  {
    name: 'USER root',
    text: df('FROM gcr.io/distroless/static:nonroot', 'USER root'),
    user: (t) => fromUser(t, 'root', { value: 'root', name: 'root', uid: 0, gid: 0, group: 'root' }),
  },
  {
    name: 'USER 0:0',
    text: df('FROM alpine:3.20', 'USER 0:0'),
    user: (t) => fromUser(t, '0:0', { value: '0:0', name: 'root', uid: 0, gid: 0, group: 'root', createdAt: { how: 'base image alpine' } }),
  },
  {
    name: 'distroless debug-nonroot runs as 65532',
    text: df('FROM gcr.io/distroless/base-debian12:debug-nonroot'),
    user: () => ({ source: 'base-image', image: 'gcr.io/distroless/base-debian12:debug-nonroot', imageConfigUser: '65532', name: 'nonroot', group: 'nonroot', createdAt: { how: 'base image gcr.io/distroless/base-debian12' }, uid: 65532, gid: 65532 }),
  },
  {
    name: 'Bitnami images run as 1001 with the root group',
    text: df('FROM bitnami/redis:7.2'),
    user: () => ({ source: 'base-image', image: 'bitnami/redis:7.2', imageConfigUser: '1001', uid: 1001, gid: 0 }),
  },
  {
    name: 'a name that no account has, on scratch: the container fails to start',
    text: df('FROM scratch', 'COPY app /app', 'USER app'),
    user: (t) => fromUser(t, 'app', { value: 'app', name: 'app', missing: { user: 'app' }, reason: 'no user app exists in the image: the container fails to start' }),
  },
  {
    name: 'an unknown base without USER',
    text: df('FROM registry.example.com/team/base:1'),
    user: () => ({ source: 'default', image: 'registry.example.com/team/base:1', reason: 'no USER in this Dockerfile, and base image registry.example.com/team/base:1 is not known: its own USER decides' }),
  },
  {
    name: 'COPY of /etc/passwd from the build context makes names unknown',
    text: df('FROM debian:12', 'RUN useradd -u 1000 app', 'COPY passwd /etc/passwd', 'USER app'),
    user: (t) => fromUser(t, 'app', { value: 'app', name: 'app', missing: { user: 'app' }, reason: 'user app is not created in this Dockerfile and /etc/passwd is replaced by a file this Dockerfile does not show' }),
  },
];

describe('the user a Dockerfile runs as', () => {
  for (const c of userCases) {
    test(c.name, () => {
      assert.deepStrictEqual(parseDockerfile(c.text).user, c.user(c.text));
    });
  }
});

interface AccountCase {
  readonly name: string;
  readonly text: string;
  readonly users: (text: string) => UserAccount[];
  readonly groups: (text: string) => GroupAccount[];
}

const accountCases: AccountCase[] = [
  {
    name: 'postgres (Debian): groupadd -r --gid=999, useradd -r -g postgres --uid=999',
    text: corpus('docker-library__postgres/18/trixie/Dockerfile'),
    users: (t) => [{ name: 'postgres', uid: 999, gid: 999, group: 'postgres', createdAt: origin(t, 'useradd', span(t, 'useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres')) }],
    groups: (t) => [{ name: 'postgres', gid: 999, createdAt: origin(t, 'groupadd', span(t, 'groupadd -r postgres --gid=999')) }],
  },
  {
    name: 'postgres (Alpine): addgroup -g 70 -S, adduser -u 70 -S -D -G postgres',
    text: corpus('docker-library__postgres/14/alpine3.22/Dockerfile'),
    users: (t) => [{ name: 'postgres', uid: 70, gid: 70, group: 'postgres', createdAt: origin(t, 'adduser', span(t, 'adduser -u 70 -S -D -G postgres -H -h /var/lib/postgresql -s /bin/sh postgres')) }],
    groups: (t) => [{ name: 'postgres', gid: 70, createdAt: origin(t, 'addgroup', span(t, 'addgroup -g 70 -S postgres')) }],
  },
  {
    name: 'redis (Alpine): uid 999 in group redis 1000',
    text: corpus('docker-library__redis/7.2/alpine/Dockerfile'),
    users: (t) => [{ name: 'redis', uid: 999, gid: 1000, group: 'redis', createdAt: origin(t, 'adduser', span(t, 'adduser -S -G redis -u 999 redis')) }],
    groups: (t) => [{ name: 'redis', gid: 1000, createdAt: origin(t, 'addgroup', span(t, 'addgroup -S -g 1000 redis')) }],
  },
  {
    name: 'mongo (Ubuntu): long options --gid --system, --uid --system --gid mongodb',
    text: corpus('docker-library__mongo/8.0/Dockerfile'),
    users: (t) => [{ name: 'mongodb', uid: 999, gid: 999, group: 'mongodb', createdAt: origin(t, 'useradd', span(t, 'useradd --uid 999 --system --gid mongodb --home-dir /data/db mongodb')) }],
    groups: (t) => [{ name: 'mongodb', gid: 999, createdAt: origin(t, 'groupadd', span(t, 'groupadd --gid 999 --system mongodb')) }],
  },
  {
    name: 'httpd (Alpine): adduser -G www-data uses the base\'s www-data group',
    text: corpus('docker-library__httpd/2.4/alpine/Dockerfile'),
    users: (t) => [{ name: 'www-data', uid: 82, gid: 82, group: 'www-data', createdAt: origin(t, 'adduser', span(t, 'adduser -u 82 -D -S -G www-data www-data')) }],
    groups: () => [],
  },
  {
    name: 'nginx-unprivileged (Debian adduser --system --ingroup, ARG UID/GID)',
    text: df('ARG IMAGE=debian:buster-slim', 'FROM $IMAGE', 'ARG UID=101', 'ARG GID=101', 'RUN set -x \\',
      '    && addgroup --system --gid $GID nginx \\',
      '    && adduser --system --disabled-login --ingroup nginx --no-create-home --home /nonexistent --gecos "nginx user" --shell /bin/false --uid $UID nginx'),
    users: (t) => [{ name: 'nginx', uid: 101, gid: 101, group: 'nginx', createdAt: origin(t, 'adduser', span(t, 'adduser --system --disabled-login --ingroup nginx --no-create-home --home /nonexistent --gecos "nginx user" --shell /bin/false --uid $UID nginx')) }],
    groups: (t) => [{ name: 'nginx', gid: 101, createdAt: origin(t, 'addgroup', span(t, 'addgroup --system --gid $GID nginx')) }],
  },
  {
    // USERGROUPS_ENAB yes (Debian, Ubuntu): a group named after the user; shadow's useradd.c (src/useradd.c,
    // `if (Uflg) find_new_gid (rflg, &user_gid, &user_id)`) passes the uid as the preferred gid: free, so taken.
    name: 'useradd without -g creates a user group with the uid as its id when that gid is free',
    text: df('FROM debian:12', 'RUN useradd -m -u 1500 -G sudo,video dev'),
    users: (t) => [{ name: 'dev', uid: 1500, gid: 1500, group: 'dev', groups: ['sudo', 'video'], createdAt: origin(t, 'useradd', span(t, 'useradd -m -u 1500 -G sudo,video dev')) }],
    groups: (t) => [{ name: 'dev', gid: 1500, createdAt: origin(t, 'useradd (user group)', span(t, 'useradd -m -u 1500 -G sudo,video dev')) }],
  },
  {
    name: 'useradd without -g: the uid is taken as a gid, so the user group\'s id is not known',
    text: df('FROM debian:12', 'RUN groupadd -g 1500 other && useradd -u 1500 dev'),
    users: (t) => [{ name: 'dev', uid: 1500, group: 'dev', createdAt: origin(t, 'useradd', span(t, 'useradd -u 1500 dev')) }],
    groups: (t) => [
      { name: 'other', gid: 1500, createdAt: origin(t, 'groupadd', span(t, 'groupadd -g 1500 other')) },
      { name: 'dev', createdAt: origin(t, 'useradd (user group)', span(t, 'useradd -u 1500 dev')) },
    ],
  },
  {
    name: 'userdel removes an account',
    text: df('FROM ubuntu:24.04', 'RUN userdel -r ubuntu && useradd -u 1000 -N me'),
    users: (t) => [{ name: 'me', uid: 1000, gid: 100, group: 'users', createdAt: origin(t, 'useradd', span(t, 'useradd -u 1000 -N me')) }],
    groups: () => [],
  },
];

describe('accounts created by RUN commands', () => {
  for (const c of accountCases) {
    test(c.name, () => {
      const stages = parseDockerfile(c.text).stages;
      const last = stages[stages.length - 1];
      assert.deepStrictEqual(last.accounts, { users: c.users(c.text), groups: c.groups(c.text) });
    });
  }
});

describe('stages', () => {
  test('names, bases and the FROM spans of a multi-stage build', () => {
    const t = df('ARG GO=1.22', 'FROM golang:${GO} AS build', 'FROM build AS test', 'FROM gcr.io/distroless/static:nonroot');
    const stages = parseDockerfile(t).stages.map(({ index, name, line, span: s, base, image }) => ({ index, name, line, span: s, base, image }));
    assert.deepStrictEqual(stages, [
      { index: 0, name: 'build', line: 2, span: span(t, 'FROM golang:${GO} AS build'), base: { kind: 'image', raw: 'golang:${GO}', span: span(t, 'golang:${GO}'), reference: 'golang:1.22' }, image: 'golang:1.22' },
      { index: 1, name: 'test', line: 3, span: span(t, 'FROM build AS test'), base: { kind: 'stage', raw: 'build', span: span(t, 'build', 1), stage: 0, name: 'build' }, image: 'golang:1.22' },
      { index: 2, name: undefined, line: 4, span: span(t, 'FROM gcr.io/distroless/static:nonroot'), base: { kind: 'image', raw: 'gcr.io/distroless/static:nonroot', span: span(t, 'gcr.io/distroless/static:nonroot'), reference: 'gcr.io/distroless/static:nonroot' }, image: 'gcr.io/distroless/static:nonroot' },
    ]);
  });

  test('an unresolved FROM keeps the raw text and the unresolved variables', () => {
    const t = df('FROM ${BASE_IMAGE}');
    assert.deepStrictEqual(parseDockerfile(t).stages[0].base, { kind: 'image', raw: '${BASE_IMAGE}', span: span(t, '${BASE_IMAGE}'), unresolved: ['BASE_IMAGE'] });
  });

  test('each USER resolves with the stage\'s final accounts, and records its substitution', () => {
    const t = df('FROM debian:12', 'ARG NAME=svc', 'USER ${NAME}', 'RUN useradd -u 700 svc', 'USER root');
    const users = parseDockerfile(t).stages[0].users;
    assert.deepStrictEqual(users.map((u) => ({ line: u.line, spec: u.spec, value: u.value, buildArgs: u.buildArgs, uid: u.user.uid })), [
      { line: 3, spec: '${NAME}', value: 'svc', buildArgs: ['NAME'], uid: 700 },
      { line: 5, spec: 'root', value: 'root', buildArgs: undefined, uid: 0 },
    ]);
  });
});

describe('hovers and ImageUser notes', () => {
  const t = df('FROM node:22-alpine', 'RUN addgroup -g 10001 app && adduser -D -u 10001 -G app app', 'USER app');

  test('hover on USER: ids and where the user is created', () => {
    assert.equal(dockerfileHover(parseDockerfile(t), span(t, 'USER app').start + 1),
      '**USER** `app`\n\nRuns as uid 10001 (app), gid 10001 (app).\n\n`app` is created by `adduser` on line 2.');
  });

  test('hover on FROM: the base image, its default user and accounts', () => {
    assert.equal(dockerfileHover(parseDockerfile(t), 2),
      '**FROM** `node:22-alpine` — base image `node` runs as root (uid 0, gid 0) by default.\n\n' +
      'Known accounts: nobody 65534:65534, node 1000:1000 (and 24 system accounts).\n\n' +
      'Source: nodejs/docker-node Dockerfiles (node 1000:1000, no USER); alpine-baselayout (aports main/alpine-baselayout/passwd, group).\n\n' +
      'Created in this stage: app 10001:10001 (adduser on line 2).\n\n' +
      'This stage runs as uid 10001 (app), gid 10001 (app) — user app (uid 10001, gid 10001) created in Dockerfile line 2.');
  });

  test('hover elsewhere: nothing', () => {
    assert.equal(dockerfileHover(parseDockerfile(t), span(t, 'addgroup').start), undefined);
  });

  test('finalImageUser: a named user created in the Dockerfile', () => {
    assert.deepStrictEqual(finalImageUser(parseDockerfile(t), '/ws/Dockerfile'), {
      spec: 'app', name: 'app', uid: 10001, gid: 10001, note: 'user app (uid 10001, gid 10001) created in Dockerfile line 2', dockerfile: '/ws/Dockerfile', userSpan: { start: span(t, 'USER app').start + 5, end: span(t, 'USER app').end }, userLine: t.slice(0, span(t, 'USER app').start).split('\n').length,
    });
  });

  test('finalImageUser: a target stage, and a base image default', () => {
    const m = parseDockerfile(df('FROM node:22 AS dev', 'FROM gcr.io/distroless/nodejs22-debian12:nonroot'));
    assert.deepStrictEqual(finalImageUser(m, 'Dockerfile', 'dev'), { name: 'root', uid: 0, gid: 0, note: 'no USER; base image node:22 runs as root (uid 0, gid 0) (stage dev)', dockerfile: 'Dockerfile' });
    assert.deepStrictEqual(finalImageUser(m, 'Dockerfile'), { spec: '65532', name: 'nonroot', uid: 65532, gid: 65532, note: 'no USER; base image gcr.io/distroless/nodejs22-debian12:nonroot runs as nonroot (uid 65532, gid 65532)', dockerfile: 'Dockerfile' });
  });

  test('finalImageUser: an unresolved USER says why', () => {
    const m = parseDockerfile(df('FROM debian:12', 'ARG UID', 'USER $UID'));
    assert.equal(finalImageUser(m, 'Dockerfile').note, 'USER $UID in Dockerfile line 3: USER $UID does not resolve: ARG UID has no default (set with --build-arg)');
  });
});

describe('base image table', () => {
  const cases: [string, { uid: number; gid: number; spec: string } | undefined][] = [
    ['docker.io/library/node:22@sha256:abc', { spec: '', uid: 0, gid: 0 }],
    ['gcr.io/distroless/static:nonroot-arm64', { spec: '65532', uid: 65532, gid: 65532 }],
    ['gcr.io/distroless/static:latest', { spec: '', uid: 0, gid: 0 }],
    ['nginxinc/nginx-unprivileged:1.29-alpine', { spec: '101', uid: 101, gid: 101 }],
    ['docker.io/bitnami/postgresql:16', { spec: '1001', uid: 1001, gid: 0 }],
    ['bitnami/minideb:bookworm', { spec: '', uid: 0, gid: 0 }],
    ['example.com/node:22', undefined],
    ['golang:1.22', undefined],
  ];
  for (const [ref, user] of cases) {
    test(ref, () => {
      assert.deepStrictEqual(baseImageFacts(ref)?.user, user);
    });
  }

  test('ubuntu 24.04 has the ubuntu account, 22.04 does not', () => {
    assert.deepStrictEqual(baseImageFacts('ubuntu:24.04')?.users.find((u) => u.name === 'ubuntu'), { name: 'ubuntu', uid: 1000, gid: 1000 });
    assert.equal(baseImageFacts('ubuntu:22.04')?.users.find((u) => u.name === 'ubuntu'), undefined);
  });
});

describe('malformed input never throws', () => {
  const inputs: [string, string][] = [
    ['empty', ''],
    ['no FROM', 'USER app\nRUN useradd x\n'],
    ['endless continuation', 'FROM alpine\nRUN adduser -u 1 a \\\n'],
    ['unterminated quotes and substitutions', 'FROM alpine\nRUN useradd "x -u $(echo \'1\n USER ${X\n'],
    ['unterminated heredoc', 'FROM alpine\nRUN <<EOF\nadduser -D x\n'],
    ['binary junk', 'FROM \u0000\u0001\uffff\nRUN \ud800\u0000 <<\nUSER :\n'],
    ['USER without argument', 'FROM alpine\nUSER\n'],
  ];
  for (const [name, text] of inputs) {
    test(name, () => {
      assert.doesNotThrow(() => parseDockerfile(text));
    });
  }

  test('an endless continuation still yields the stage', () => {
    assert.deepStrictEqual(parseDockerfile('FROM alpine\nRUN adduser -u 1 -D a \\\n').stages[0].accounts.users.map((u) => [u.name, u.uid, u.gid]), [['a', 1, 1]]);
  });
});

describe('lines too long to read', () => {
  const long = `RUN useradd -u 5 skipped && ${'echo a && '.repeat(7_000)}true`;

  test('a RUN line above 64 KiB is read as its keyword alone; the lines around it are read', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['FROM alpine', long, 'RUN adduser -D -u 1000 app', 'USER app', ''].join(eol);
      const model = parseDockerfile(text);
      const line = span(text, long);
      assert.deepStrictEqual(
        { users: model.stages[0].accounts.users.map((u) => [u.name, u.uid]), user: [model.user?.name, model.user?.uid], longLines: model.longLines },
        { users: [['app', 1000]], user: ['app', 1000], longLines: [{ span: line, read: { start: line.start, end: line.start + 3 } }] },
        JSON.stringify(eol),
      );
    }
  });

  test('a long continuation line keeps its final escape: the instruction stays one, the rest of it is read', () => {
    const middle = `    ${'echo a && '.repeat(7_000)}true && \\`;
    const text = df('FROM alpine', 'RUN adduser -D -u 1000 app && \\', middle, '    adduser -D -u 1001 two', 'USER 1001');
    const model = parseDockerfile(text);
    const line = span(text, middle);
    assert.deepStrictEqual(
      { users: model.stages[0].accounts.users.map((u) => [u.name, u.uid]), user: [model.user?.spec, model.user?.line], longLines: model.longLines },
      // `echo` is the middle line's first word: `adduser … two` is read as its argument
      { users: [['app', 1000]], user: ['1001', 5], longLines: [{ span: line, read: { start: line.start + 4, end: line.start + 8 } }] },
    );
  });

  test('short lines are read whole, however long the file or its lines joined by CR', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `RUN adduser -D -u ${1000 + i} u${i}`).join('\r');
    assert.deepStrictEqual(parseDockerfile(`FROM alpine\r${text}\r`).longLines, undefined);
  });

  test('the analysis reports each long line once, as an informational finding on its first word', () => {
    const text = df('FROM alpine', long, 'USER 0');
    const found = new Analyzer().analyze('/w/Dockerfile', text, DEFAULT_OPTIONS).findings.filter((f) => f.rule === 'line-too-long');
    assert.deepStrictEqual(found, [{
      rule: 'line-too-long', severity: 'info', span: span(text, 'RUN'), fixes: [],
      message: 'secctx did not analyse this line past its first word: 68 KiB is above the 64 KiB limit for one line.',
    }]);
  });
});

function dockerfilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...dockerfilesUnder(p));
    else if (/^(Dockerfile|Containerfile)/.test(name) || /\.Dockerfile$/.test(name)) out.push(p);
  }
  return out;
}

describe('corpus', () => {
  test('every Dockerfile in the corpus parses without throwing and has stages', () => {
    const files = dockerfilesUnder(CORPUS);
    assert.ok(files.length >= 40, `found ${files.length} Dockerfiles`);
    for (const file of files) {
      const model = parseDockerfile(readFileSync(file, 'utf8'));
      assert.ok(model.stages.length > 0, file);
      for (const stage of model.stages) dockerfileHover(model, stage.span.start);
    }
  });
});

describe('which files are Dockerfiles', () => {
  test('Dockerfile names and suffixes, not sources, docs or BuildKit ignore files named after them', async () => {
    const { detectFileKind } = await import('../../server/src/engine/analyze');
    const { isIndexedFile } = await import('../../server/src/host/workspaceIndex');
    const names = ['Dockerfile', 'dockerfile', 'Dockerfile.prod', 'Dockerfile.alpine', 'api.Dockerfile', 'worker.dockerfile', 'Containerfile', 'Containerfile.rhel',
      'dockerfile.test.ts', 'Dockerfile.md', 'Dockerfile.dockerignore', 'dockerfile.js', 'Dockerfile.yaml', 'Dockerfile.sh'];
    assert.deepStrictEqual(
      Object.fromEntries(names.map((n) => [n, `${detectFileKind(`/r/${n}`)}${isIndexedFile(`/r/${n}`) ? ' indexed' : ''}`])),
      {
        'Dockerfile': 'dockerfile indexed', 'dockerfile': 'dockerfile indexed', 'Dockerfile.prod': 'dockerfile indexed', 'Dockerfile.alpine': 'dockerfile indexed',
        'api.Dockerfile': 'dockerfile indexed', 'worker.dockerfile': 'dockerfile indexed', 'Containerfile': 'dockerfile indexed', 'Containerfile.rhel': 'dockerfile indexed',
        'dockerfile.test.ts': 'unknown', 'Dockerfile.md': 'shell', 'Dockerfile.dockerignore': 'unknown', 'dockerfile.js': 'unknown', 'Dockerfile.yaml': 'kubernetes', 'Dockerfile.sh': 'shell',
      },
    );
  });
});
