/** The README's rule count and list agree with the rule registry (every rule named once, no others). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../server/src/engine/rules/index';

test("README's ## Rules section: the count and the ids are the registry's", () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Rules\n'), readme.indexOf('\n## ', readme.indexOf('\n## Rules\n') + 1));
  const list = section.slice(section.indexOf('\n- '));
  const named = [...list.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)*)`/g)].map((m) => m[1]);
  const registry = RULES.map((r) => r.meta.id);
  assert.deepStrictEqual(
    { count: Number(/(\d+) rules/.exec(section)?.[1]), missing: registry.filter((id) => !named.includes(id)), unknown: [...new Set(named.filter((id) => !registry.includes(id)))] },
    { count: registry.length, missing: [], unknown: [] },
  );
});
