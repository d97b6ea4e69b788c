/** `secctx explain`: each container's effective security context, and each image's user. */
import { LineIndex } from '../engine/lines';
import { formatExplainText, formatImagesText, toJsonContainer, toJsonImages, type JsonContainer, type JsonImage } from './format';
import { analyzeInputs, problemLine } from './inputs';
import type { CliIo } from './io';
import type { CliOptions } from './options';

export async function runExplain(o: CliOptions, io: CliIo): Promise<number> {
  const inputs = await analyzeInputs(o, io);
  for (const p of inputs.problems) io.stderr(problemLine(p));
  const containers: JsonContainer[] = [];
  const images: JsonImage[] = [];
  for (const { file, text, analysis, built } of inputs.files) {
    const lines = new LineIndex(text);
    if (!built) for (const c of analysis.contexts) containers.push(toJsonContainer(file.display, lines, c));
    if (analysis.dockerfile) images.push(...toJsonImages(file.display, analysis.dockerfile));
  }
  containers.push(...inputs.builds.containers);
  if (o.format === 'json') io.stdout(JSON.stringify({ containers, images }, null, 2) + '\n');
  else {
    const parts = [containers.length ? formatExplainText(containers) : '', images.length ? formatImagesText(images) : ''].filter(Boolean);
    io.stdout((parts.length ? parts.join('\n\n') : 'No containers or images found.') + '\n');
  }
  return inputs.problems.some((p) => p.fatal) ? 2 : 0;
}
