/**
 * One finding per cause and place. The Pod Security checks of k8s.io/pod-security-admission
 * (policy/check_*.go, `withBadContainers` + `joinQuote`) name every offending container in one
 * detail, and secctx reports the violation at each offending field: each place must name only its
 * own container (and, in capabilities.add, its own capability). Two reports of one rule at one
 * place become one finding (runRules), merging the names they differ by.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Analyzer } from '../../server/src/engine/analyze';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';
import type { Rule } from '../../server/src/engine/rules/rule';
import { runRules } from '../../server/src/engine/rules/run';
import type { Profile } from '../../server/src/engine/types';

const TWO = [
  'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: two', 'spec:', '  containers:',
  '    - name: a', '      image: a:1', '      securityContext:', '        allowPrivilegeEscalation: true', '        capabilities:', '          add: ["SYS_ADMIN", "NET_ADMIN"]',
  '    - name: b', '      image: b:1', '      securityContext:', '        allowPrivilegeEscalation: true', '        capabilities:', '          add: [SYS_ADMIN]', '',
].join('\n');

const found = (text: string, profile: Profile, rules: string[]) => new Analyzer().analyze('pod.yaml', text, { ...DEFAULT_OPTIONS, profile }).findings
  .filter((f) => rules.includes(f.rule))
  .map((f) => `${text.slice(0, f.span.start).split('\n').length}:${f.span.start - text.lastIndexOf('\n', f.span.start - 1)} ${f.rule} ${f.message}`);

describe('each place names its own container and capability', () => {
  // check_allowPrivilegeEscalation.go allowPrivilegeEscalation_1_8: one detail naming "a", "b"; one finding per container.
  test('privilege-escalation on two lines: each line names its container', () => {
    const said = (name: string) => `Container "${name}" can gain more privileges than its parent process (setuid binaries, file capabilities): allowPrivilegeEscalation is true. The restricted profile requires false.`;
    assert.deepStrictEqual(found(TWO, 'restricted', ['privilege-escalation']), [
      `10:9 privilege-escalation ${said('a')}`,
      `16:9 privilege-escalation ${said('b')}`,
    ]);
  });

  // check_capabilities_baseline.go capabilitiesBaseline_1_0: one path per offending `add` item.
  test('dangerous-capability: two capabilities on one line are two causes, each named once', () => {
    const sysAdmin = 'adds SYS_ADMIN: close to root on the node: mount filesystems, use many namespace and device operations; the basis of several container escapes. The baseline profile forbids adding it.';
    assert.deepStrictEqual(found(TWO, 'baseline', ['dangerous-capability']), [
      `12:17 dangerous-capability Container "a" ${sysAdmin}`,
      '12:30 dangerous-capability Container "a" adds NET_ADMIN: can rewrite iptables/nftables, routes and interfaces of the network namespace; with hostNetwork, of the node. The baseline profile forbids adding it.',
      `18:17 dangerous-capability Container "b" ${sysAdmin}`,
    ]);
  });
});

describe('runRules: one finding per rule and span', () => {
  const twice = (messages: string[]): Rule => ({
    meta: { id: 'run-as-root', title: 't', category: 'identity', defaultSeverity: 'warning', docs: { summary: '', why: '', bad: { file: 'x', code: '' }, good: { file: 'x', code: '' }, fix: '', references: [] } } as unknown as Rule['meta'],
    kubernetes(ctx) { for (const message of messages) ctx.report({ span: { start: 1, end: 4 }, message }); },
  });
  const run = (messages: string[]) => runRules('kubernetes', { pods: [] } as never, 'abcdef', DEFAULT_OPTIONS, [twice(messages)]).map((f) => f.message);

  test('the same message twice: one finding', () => assert.deepStrictEqual(run(['Same.', 'Same.']), ['Same.']));
  test('messages differing in a quoted name: one finding naming them all, verb agreeing', () => {
    assert.deepStrictEqual(run(['Container "app" runs as root.', 'Container "sidecar" runs as root.', 'Container "init" runs as root.']), ['Containers "app", "sidecar", "init" run as root.']);
  });
  test('otherwise different messages: joined, still one finding', () => assert.deepStrictEqual(run(['One cause.', 'Another cause.']), ['One cause. Another cause.']));
});

describe('runRules: reports whose fixes differ stay apart', () => {
  test('each keeps the fix that clears it', () => {
    const rule: Rule = {
      meta: { id: 'run-as-root', title: 't', category: 'identity', defaultSeverity: 'warning', docs: { summary: '', why: '', bad: { file: 'x', code: '' }, good: { file: 'x', code: '' }, fix: '', references: [] } } as unknown as Rule['meta'],
      kubernetes(ctx) {
        for (const name of ['a', 'b']) ctx.report({ span: { start: 1, end: 4 }, message: `Container "${name}" runs as root.`, fixes: [{ title: `Fix ${name}`, safety: 'safe', preferred: true, edits: [] }] });
      },
    };
    assert.deepStrictEqual(runRules('kubernetes', { pods: [] } as never, 'abcdef', DEFAULT_OPTIONS, [rule]).map((f) => `${f.message} ${f.fixes[0].title}`), ['Container "a" runs as root. Fix a', 'Container "b" runs as root. Fix b']);
  });
});
