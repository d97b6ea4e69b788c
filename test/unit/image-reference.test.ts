/**
 * Image references normalised as Docker does, and /etc/passwd + /etc/group parsed as the
 * runtimes parse them. Pure engine code (engine/images/normalize.ts, engine/images/accounts.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGroup, parsePasswd } from '../../server/src/engine/images/accounts';
import { parseNormalizedReference, type NormalizedReference } from '../../server/src/engine/images/normalize';

const hex = 'a'.repeat(64);
const ok = (input: string): NormalizedReference => {
  const r = parseNormalizedReference(input);
  assert.ok(r.ok, `${input}: ${r.ok ? '' : r.reason}`);
  return r.reference;
};
const reason = (input: string): string => {
  const r = parseNormalizedReference(input);
  assert.ok(!r.ok, `${input} should be rejected`);
  return r.reason;
};

describe('image references (distribution/reference ParseNormalizedNamed, splitDockerDomain, familiarizeName, TagNameOnly)', () => {
  it('a familiar name gets docker.io, library/ and :latest (splitDockerDomain + TagNameOnly)', () => {
    assert.deepStrictEqual(ok('nginx'), { domain: 'docker.io', path: 'library/nginx', name: 'docker.io/library/nginx', normalized: 'docker.io/library/nginx:latest', familiar: 'nginx:latest' });
    assert.deepStrictEqual(ok('grafana/grafana:11.0.0'), { domain: 'docker.io', path: 'grafana/grafana', tag: '11.0.0', name: 'docker.io/grafana/grafana', normalized: 'docker.io/grafana/grafana:11.0.0', familiar: 'grafana/grafana:11.0.0' });
    assert.equal(ok('docker.io/nginx:1.27').normalized, 'docker.io/library/nginx:1.27');
  });

  it('index.docker.io is the legacy Hub domain (legacyDefaultDomain); registry-1.docker.io is not canonicalised upstream', () => {
    assert.equal(ok('index.docker.io/library/nginx:1.27').normalized, 'docker.io/library/nginx:1.27');
    assert.equal(ok('index.docker.io/nginx').normalized, 'docker.io/library/nginx:latest');
    // splitDockerDomain only maps legacyDefaultDomain; registry-1.docker.io stays a domain of its own.
    assert.deepStrictEqual(ok('registry-1.docker.io/library/nginx'), { domain: 'registry-1.docker.io', path: 'library/nginx', name: 'registry-1.docker.io/library/nginx', normalized: 'registry-1.docker.io/library/nginx:latest', familiar: 'registry-1.docker.io/library/nginx:latest' });
  });

  it('a first component with "." or ":", localhost, or an upper-case letter is a domain', () => {
    assert.deepStrictEqual(ok('localhost/app'), { domain: 'localhost', path: 'app', name: 'localhost/app', normalized: 'localhost/app:latest', familiar: 'localhost/app:latest' });
    assert.equal(ok('localhost:5000/team/app:1').name, 'localhost:5000/team/app');
    assert.equal(ok('127.0.0.1:5000/app').domain, '127.0.0.1:5000');
    assert.equal(ok('[::1]:5000/app:2').domain, '[::1]:5000');
    assert.equal(ok('gcr.io/distroless/static:nonroot').familiar, 'gcr.io/distroless/static:nonroot');
    assert.equal(ok('Registry/app').domain, 'Registry');
    assert.equal(ok('team/app').domain, 'docker.io');
  });

  it('digests: name@digest has no implied tag; name:tag@digest keeps both (ParseDockerRef fetches the digest)', () => {
    assert.deepStrictEqual(ok(`nginx@sha256:${hex}`), { domain: 'docker.io', path: 'library/nginx', digest: `sha256:${hex}`, name: 'docker.io/library/nginx', normalized: `docker.io/library/nginx@sha256:${hex}`, familiar: `nginx@sha256:${hex}` });
    assert.equal(ok(`nginx:1.27@sha256:${hex}`).normalized, `docker.io/library/nginx:1.27@sha256:${hex}`);
    assert.equal(ok(`localhost:5000/app:1@sha512:${'b'.repeat(128)}`).digest, `sha512:${'b'.repeat(128)}`);
  });

  it('familiarizeName drops library/ only for a single-component official name', () => {
    assert.equal(ok('docker.io/library/a/b').familiar, 'library/a/b:latest');
    assert.equal(ok('docker.io/team/app').familiar, 'team/app:latest');
  });

  it('rejects what Docker rejects, with upstream error texts', () => {
    assert.equal(reason(hex), `invalid repository name (${hex}), cannot specify 64-byte hexadecimal strings`);
    assert.equal(reason('Nginx'), 'invalid reference format: repository name (library/Nginx) must be lowercase');
    assert.equal(reason('Bad/Ref'), 'invalid reference format: repository name (Ref) must be lowercase');
    assert.equal(reason(''), 'invalid reference format');
    assert.equal(reason('nginx:'), 'invalid reference format');
    assert.equal(reason('foo___bar'), 'invalid reference format');
    assert.equal(reason('nginx latest'), 'invalid reference format');
    assert.equal(reason(`nginx:${'t'.repeat(129)}`), 'invalid reference format');
    assert.equal(reason('nginx@sha256:abc'), 'invalid reference format');
    // go-digest Parse/Validate: a known algorithm with the exact hex length; unknown ones are unsupported.
    assert.equal(reason(`nginx@sha256:${'a'.repeat(32)}`), 'invalid checksum digest length');
    assert.equal(reason(`nginx@md5:${'a'.repeat(32)}`), 'unsupported digest algorithm');
    assert.equal(reason(`localhost/${'a'.repeat(256)}`), 'repository name must not be more than 255 characters');
  });

  it('separators: one period, one or two underscores, any dashes (pathComponent)', () => {
    assert.equal(ok('foo_bar').path, 'library/foo_bar');
    assert.equal(ok('foo__bar').path, 'library/foo__bar');
    assert.equal(ok('foo---bar.baz').path, 'library/foo---bar.baz');
  });
});

describe('account files (moby/sys/user ParsePasswdFilter, ParseGroupFilter, parseLine)', () => {
  it('passwd: trimmed lines, blank lines skipped, missing fields empty, bad numbers read as 0 (Atoi errors ignored)', () => {
    assert.deepStrictEqual(parsePasswd('root:x:0:0:root:/root:/bin/sh\r\n\n  app:x:1000:1001::/home/app:/bin/sh  \nshort:x\nbad:x:12a:-5\n#comment:x:7:7\n'), [
      { name: 'root', uid: 0, gid: 0 },
      { name: 'app', uid: 1000, gid: 1001 },
      { name: 'short', uid: 0, gid: 0 },
      { name: 'bad', uid: 0, gid: -5 },
      // ParsePasswdFilter has no comment rule: the line is an entry named "#comment".
      { name: '#comment', uid: 7, gid: 7 },
    ]);
  });

  it('group: # comments skipped (glibc rule), member lists split on commas, empty list is []', () => {
    assert.deepStrictEqual(parseGroup('# users\nroot:x:0:\nadm:x:4:root,adm,daemon\nnogroup:x:65534\n'), [
      { name: 'root', gid: 0, members: [] },
      { name: 'adm', gid: 4, members: ['root', 'adm', 'daemon'] },
      { name: 'nogroup', gid: 65534, members: [] },
    ]);
  });
});
