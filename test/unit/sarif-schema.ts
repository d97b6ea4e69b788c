/**
 * Validation against the official SARIF 2.1.0 JSON schema (the OASIS schema as published by
 * Microsoft's SARIF SDK team in @microsoft/jest-sarif; draft-04, so Ajv's draft-04 build), with
 * ajv-formats for `uri`, `uri-reference` and `date-time` — the formats the SARIF multitool and
 * GitHub's upload check.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
// unicodeRegExp off: the schema's `language` pattern has a lone `]`, legal only outside unicode mode.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv, ['uri', 'uri-reference', 'date-time']);
const validate = ajv.compile(schema);

/** Every SARIF log the test suite writes comes through here. */
export const validatedLogs: string[] = [];

export function assertValidSarif(text: string): void {
  const log = JSON.parse(text) as unknown;
  const ok = validate(log);
  validatedLogs.push(text);
  assert.deepStrictEqual(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''}`), []);
}
