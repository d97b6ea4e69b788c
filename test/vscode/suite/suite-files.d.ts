/**
 * A module that esbuild makes at bundle time (test/vscode/bundle.ts): `loadSuiteFiles()`
 * requires every test/vscode/suite/*.test.ts, so a new test file needs no registration.
 */
declare module 'secctx-suite-files' {
  export function loadSuiteFiles(): void;
}
