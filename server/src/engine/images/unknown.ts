/** What hovers and notes say of an image whose user no source knows: the same in Kubernetes, Compose and docker run. */
import type { AnalysisOptions } from '../options';
import { imageUnknownReason } from './user';

export const UNKNOWN_IMAGE_USER = 'root unless the image\'s USER says otherwise — enable image lookup or link its Dockerfile';

/** `image app:1: root unless the image's USER says otherwise — … (image lookup is off)`. */
export function unknownImageNote(options: AnalysisOptions, reference: string): string {
  const reason = imageUnknownReason(options, reference);
  return `image ${reference}: ${UNKNOWN_IMAGE_USER}${reason ? ` (${reason})` : ''}`;
}
