/** Moving pod-level capabilities into containers. IMPLEMENTATION PENDING (fixes engineer). */
import type { PodModel } from '../kubernetes/model';
import type { Fix } from '../types';

/** "Move capabilities to all containers" (preferred, safe), then one "Move capabilities to container X" per container. */
export function moveCapabilitiesFixes(text: string, pod: PodModel): Fix[] {
  void text; void pod;
  return [];
}
