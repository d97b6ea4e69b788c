/**
 * `--fix` never loses data: BOM and line endings kept, a temporary file renamed over the original, nothing
 * written when the file changed on disk since it was read; and the fixes themselves never write
 * `drop: [ALL, ALL]`, nor remove a capability as "safe" that another runtime does not grant by default.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { readText, type InputFile, type ReadFile } from '../../server/src/cli/files';
import { applyCliFixes, keepLineEndings } from '../../server/src/cli/fix';
import { Analyzer } from '../../server/src/engine/analyze';
import { fixAll } from '../../server/src/engine/fixes/apply';
import { DEFAULT_OPTIONS } from '../../server/src/engine/options';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'secctx-fix-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// `capabilities: {drop: [all]}` gets capability-case's safe fix: `all` → `ALL`.
const POD = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '    - name: c', '      image: x', '      securityContext:', '        capabilities:', '          drop: [all]', ''];
const FIXED = POD.map((l) => l.replace('[all]', '[ALL]'));

function fixFile(name: string, content: Buffer | string, beforeWrite?: (file: string) => void) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, content);
  const input: InputFile = { display: name, absolute: file, explicit: true };
  const read = readText(input) as ReadFile;
  beforeWrite?.(file);
  const err: string[] = [];
  const outcome = applyCliFixes(input, read, DEFAULT_OPTIONS, { unsafe: false, dryRun: false }, { stdout: () => undefined, stderr: (s) => void err.push(s) });
  return { outcome, bytes: fs.readFileSync(file), leftovers: fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')) };
}

describe('--fix writes', () => {
  test('keeps a UTF-8 BOM and CRLF line endings', () => {
    const { outcome, bytes, leftovers } = fixFile('bom-crlf.yaml', Buffer.from('\ufeff' + POD.join('\r\n'), 'utf8'));
    assert.deepStrictEqual({ problem: outcome.problem, bytes: bytes.toString('utf8'), leftovers }, { problem: undefined, bytes: '\ufeff' + FIXED.join('\r\n'), leftovers: [] });
  });
  test('keeps CR-only line endings', () => {
    const { bytes } = fixFile('cr.yaml', POD.join('\r'));
    assert.equal(bytes.toString('utf8'), FIXED.join('\r'));
  });
  test('does not overwrite a file that changed on disk since it was read, and says so', () => {
    const edited = POD.join('\n') + '# edited meanwhile\n';
    const { outcome, bytes, leftovers } = fixFile('changed.yaml', POD.join('\n'), (file) => fs.writeFileSync(file, edited));
    assert.deepStrictEqual({ problem: outcome.problem, bytes: bytes.toString('utf8'), leftovers }, {
      problem: 'not fixed: the file changed on disk since secctx read it (run again)', bytes: edited, leftovers: [],
    });
  });
  test('keeps the file mode', () => {
    const file = path.join(tmp, 'mode.yaml');
    fs.writeFileSync(file, POD.join('\n'));
    fs.chmodSync(file, 0o640);
    fixFile('mode.yaml', POD.join('\n'));
    fs.chmodSync(file, 0o640);
    const input: InputFile = { display: 'mode.yaml', absolute: file, explicit: true };
    applyCliFixes(input, readText(input) as ReadFile, DEFAULT_OPTIONS, { unsafe: false, dryRun: false }, { stdout: () => undefined, stderr: () => undefined });
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  });
  test('keepLineEndings: inserted LFs follow the file', () => {
    assert.deepStrictEqual(
      [keepLineEndings('a\r\nb\r\n', 'a\r\nx\nb\r\n'), keepLineEndings('a\rb\r', 'a\rx\nb\r'), keepLineEndings('a\nb\n', 'a\nx\nb\n'), keepLineEndings('a\r\nb\n', 'a\r\nx\nb\n')],
      ['a\r\nx\r\nb\r\n', 'a\rx\rb\r', 'a\nx\nb\n', 'a\r\nx\nb\n'],
    );
  });
});

describe('what the fixes write', () => {
  const pod = (caps: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        capabilities:\n          ${caps}\n`;
  test('never `drop: [ALL, ALL]`: a drop entry read as ALL is respelled, not doubled', () => {
    const drops = ['drop: [all]', 'drop: ["all"]', 'drop: [CAP_ALL]', 'drop: all'].map((caps) => /drop: .*/.exec(fixAll('/p.yaml', pod(caps), DEFAULT_OPTIONS, { unsafe: true }).text)?.[0]);
    assert.deepStrictEqual(drops, ['drop: [ALL]', 'drop: ["ALL"]', 'drop: [ALL]', 'drop: [ALL]']);
  });
  test('removing a capability of the default set is unsafe (CRI-O does not grant NET_RAW by default; containerd does)', () => {
    const analysis = new Analyzer().analyze('/p.yaml', pod('drop: [ALL]\n          add: [NET_RAW, NET_RAW]'), DEFAULT_OPTIONS);
    const redundant = analysis.findings.filter((f) => f.rule === 'redundant-capability').map((f) => ({ message: f.message, safety: f.fixes.map((x) => x.safety) }));
    assert.deepStrictEqual(redundant, [{ message: 'NET_RAW is listed twice in add.', safety: ['safe'] }]);
    const noDrop = new Analyzer().analyze('/p.yaml', pod('add: [NET_RAW]'), DEFAULT_OPTIONS);
    assert.deepStrictEqual(noDrop.findings.filter((f) => f.rule === 'redundant-capability').map((f) => f.fixes.map((x) => x.safety)), [['unsafe']]);
    assert.equal(fixAll('/p.yaml', pod('add: [NET_RAW]'), DEFAULT_OPTIONS, { unsafe: false }).text, pod('add: [NET_RAW]'));
  });
});
