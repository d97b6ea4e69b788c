/** Port of upstream `check_procMount_restricted.go` (1.35). */
import type { PssCheck } from '../model';
import { procMount_1_0 } from './procMount';

export const procMountRestricted: PssCheck = {
  id: 'procMount_restricted',
  level: 'restricted',
  title: '/proc mount type (restricted)',
  description:
    'From 1.35, where baseline allows any procMount in pods with hostUsers: false, restricted still requires ' +
    'Default or unset in every pod; this replaces the baseline procMount check.',
  versions: [{ since: 35, evaluate: procMount_1_0, overrides: ['procMount'] }],
};
