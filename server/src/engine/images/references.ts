/**
 * The image references an analysed file names: containers' images (Kubernetes, Compose, docker run)
 * and Dockerfile FROM images. The adapters ask the image-facts service about them in the background.
 * References a workspace Dockerfile builds are left out: the Dockerfile answers first.
 */
import type { FileAnalysis } from '../analyze';
import type { YamlDocumentAnalysis } from '../kubernetes/analyze';

/** Per YAML document (reused across edits of other documents), so a keystroke in a big stream reads one document. */
const perDocument = new WeakMap<YamlDocumentAnalysis, readonly string[]>();

/** A reference worth looking up: written out (no variables, no spaces). */
function lookupable(reference: string | undefined): reference is string {
  return !!reference && !/[\s${}]/.test(reference);
}

export function imageReferences(analysis: FileAnalysis): string[] {
  const out = new Set<string>();
  const linked = analysis.options.images;
  const add = (reference: string | undefined) => {
    if (lookupable(reference) && !out.has(reference) && !linked?.(reference)) out.add(reference);
  };
  for (const stage of analysis.dockerfile?.stages ?? []) if (stage.base.kind === 'image') add(stage.base.reference);
  for (const c of analysis.docker?.containers ?? []) add(c.image?.value);
  for (const unit of analysis.documents) {
    let refs = perDocument.get(unit.analysis);
    if (!refs) {
      refs = [...new Set(unit.analysis.contexts.map((c) => c.image).filter(lookupable))];
      perDocument.set(unit.analysis, refs);
    }
    for (const r of refs) add(r);
  }
  return [...out];
}
