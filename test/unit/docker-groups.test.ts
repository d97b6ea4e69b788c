/**
 * Supplementary groups of Docker and Compose containers from the image's /etc/group. moby's
 * daemon getUser (daemon/oci_linux.go) calls moby/sys/user GetExecUserPath(Config.User, …): when the
 * user is given without a group (`user: "1000"`, `docker run -u 1000`, or the image's `USER app`) and
 * matches an /etc/passwd entry, every /etc/group entry whose member list names that entry becomes a
 * supplementary group ("Supplementary group ids only make sense if in the implicit form"); with a
 * group (`1000:1000`) none do. group_add (`--group-add`, GetAdditionalGroupsPath) is appended after.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { ImageIndex } from '../../server/src/engine/images/index';
import type { ImageFacts } from '../../server/src/engine/images/facts';
import { DEFAULT_OPTIONS, type AnalysisOptions } from '../../server/src/engine/options';
import { yaml } from '../support/manifests';

/** A workspace whose Dockerfiles build the images `example.com/<dir>`. */
function linked(dockerfiles: Readonly<Record<string, string>>, from: string): Partial<AnalysisOptions> {
  const index = new ImageIndex({ roots: ['/ws'] });
  index.update('/ws/.secctx.yaml', yaml('images:', ...Object.keys(dockerfiles).map((d) => `  example.com/${d}: ${d}/Dockerfile`)));
  for (const [dir, text] of Object.entries(dockerfiles)) index.update(`/ws/${dir}/Dockerfile`, text);
  return { images: index.resolver(from) };
}

function groupsOf(path: string, text: string, options: Partial<AnalysisOptions>) {
  return new Analyzer().analyze(path, text, { ...DEFAULT_OPTIONS, ...options }).contexts.map((c) => ({
    name: c.name, value: c.supplementalGroups.value, source: c.supplementalGroups.source, field: c.supplementalGroups.field,
  }));
}

const IMAGE_GROUPS = { source: 'image', field: '/etc/group' };

describe('Docker and Compose: the image\'s /etc/group memberships (moby getUser → GetExecUser)', () => {
  const options = linked({
    member: yaml('FROM debian:12', 'RUN groupadd -g 1000 app && groupadd -g 2000 audit && useradd -u 1000 -g app -G audit app', 'USER app'),
    pinned: yaml('FROM debian:12', 'RUN groupadd -g 1000 app && groupadd -g 2000 audit && useradd -u 1000 -g app -G audit app', 'USER app:app'),
  }, '/ws/compose.yaml');

  test('Compose: a uid, the image\'s named USER and group_add add them; a user with a group does not', () => {
    const compose = yaml(
      'services:',
      '  uid:',
      '    image: example.com/member',
      '    user: "1000"',
      '  image-user:',
      '    image: example.com/member',
      '  with-group:',
      '    image: example.com/member',
      '    user: "1000:1000"',
      '  image-user-with-group:',
      '    image: example.com/pinned',
      '  plus-group-add:',
      '    image: example.com/member',
      '    user: "1000"',
      '    group_add: ["3000"]',
    );
    assert.deepStrictEqual(groupsOf('/ws/compose.yaml', compose, options), [
      { name: 'uid', value: [2000], ...IMAGE_GROUPS },
      { name: 'image-user', value: [2000], ...IMAGE_GROUPS },
      { name: 'with-group', value: [], source: 'default', field: undefined },
      { name: 'image-user-with-group', value: [], source: 'default', field: undefined },
      { name: 'plus-group-add', value: [2000, 3000], source: 'service', field: 'group_add' },
    ]);
  });

  test('docker run -u 1000 adds them, -u 1000:1000 does not', () => {
    const script = yaml('docker run --name a -u 1000 example.com/member', 'docker run --name b -u 1000:1000 example.com/member');
    assert.deepStrictEqual(groupsOf('/ws/run.sh', script, options).map((g) => [g.value, g.source]), [[[2000], 'image'], [[], 'default']]);
  });

  test('image facts (a registry or the cache): the member lists of the image\'s own /etc/group', () => {
    const facts: ImageFacts = {
      reference: 'example.com/facts:1', normalized: 'example.com/facts:1', user: 'app', from: 'registry',
      accounts: {
        kind: 'known', passwdFound: true, groupFound: true,
        passwd: [{ name: 'root', uid: 0, gid: 0 }, { name: 'app', uid: 1000, gid: 1000 }],
        group: [{ name: 'root', gid: 0, members: [] }, { name: 'app', gid: 1000, members: [] }, { name: 'audit', gid: 2000, members: ['app'] }, { name: 'video', gid: 44, members: ['root', 'app'] }],
      },
    };
    const compose = yaml('services:', '  named:', '    image: example.com/facts:1', '  uid:', '    image: example.com/facts:1', '    user: "1000"', '  no-entry:', '    image: example.com/facts:1', '    user: "4242"');
    assert.deepStrictEqual(groupsOf('/ws/compose.yaml', compose, { imageFacts: (r) => (r === 'example.com/facts:1' ? facts : undefined) }), [
      { name: 'named', value: [2000, 44], ...IMAGE_GROUPS },
      { name: 'uid', value: [2000, 44], ...IMAGE_GROUPS },
      // A uid without an /etc/passwd entry matches no member list.
      { name: 'no-entry', value: [], source: 'default', field: undefined },
    ]);
  });
});
