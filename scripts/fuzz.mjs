// `npm run fuzz`: the robustness suite's seeded mutations, longer than CI's run (which keeps the fixed seed
// and 4 mutants per file). A fresh seed each run unless SECCTX_FUZZ_SEED is set; SECCTX_FUZZ_MUTANTS
// (default 200) mutants per file; the slow large-input cases included. The seed is printed first, so a
// failure can be replayed with SECCTX_FUZZ_SEED=<seed>.
import { spawnSync } from 'node:child_process';

const seed = process.env.SECCTX_FUZZ_SEED ?? String(Date.now() % 2 ** 31);
const mutants = process.env.SECCTX_FUZZ_MUTANTS ?? '200';
console.log(`secctx fuzz: SECCTX_FUZZ_SEED=${seed} SECCTX_FUZZ_MUTANTS=${mutants}`);
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', 'test/unit/robustness.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, SECCTX_FUZZ_SEED: seed, SECCTX_FUZZ_MUTANTS: mutants, SECCTX_ROBUSTNESS_SLOW: '1' },
});
if (r.status !== 0) console.log(`secctx fuzz: failed; replay with SECCTX_FUZZ_SEED=${seed} SECCTX_FUZZ_MUTANTS=${mutants} npm run fuzz`);
process.exit(r.status ?? 1);
