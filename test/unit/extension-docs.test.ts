/**
 * What the extension's manifest and README promise the editor user: per-value descriptions for every enum
 * setting (shown in the Settings UI), `source.fixAll.secctx` documented for editor.codeActionsOnSave, and the
 * rule documentation opened from the pages shipped in the extension (the .vsix contents are checked in
 * install-channels.test.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIX_ALL_KIND } from '../../server/src/lsp/codeActions';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[] }> } };
};

describe('extension manifest and README', () => {
  test('every enum setting has one description per value', () => {
    const enums = Object.entries(manifest.contributes.configuration.properties).filter(([, p]) => p.enum);
    assert.ok(enums.some(([k]) => k === 'secctx.runtime') && enums.some(([k]) => k === 'secctx.profile'));
    assert.deepStrictEqual(
      enums.map(([k, p]) => [k, p.enumDescriptions?.length]),
      enums.map(([k, p]) => [k, p.enum?.length]),
    );
  });

  test('the README documents fix on save with source.fixAll.secctx', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.equal(FIX_ALL_KIND, 'source.fixAll.secctx');
    assert.ok(readme.includes(`"editor.codeActionsOnSave": { "${FIX_ALL_KIND}": "explicit" }`));
  });

  test('Open rule documentation shows the bundled page in the Markdown preview', () => {
    const client = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    assert.ok(client.includes("vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${rule.id}.md`)"));
    assert.ok(client.includes("executeCommand('markdown.showPreview', page)"));
  });
});
