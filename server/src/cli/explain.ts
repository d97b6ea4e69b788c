/** `secctx explain`: each container's effective security context, and each image's user. */
import { LineIndex } from '../engine/lines';
import { reportHtml } from '../engine/present/html';
import { reportModel } from '../engine/present/report';
import { reportMarkdown } from '../engine/present/reportMarkdown';
import { formatExplainText, formatImagesText, toJsonContainer, toJsonImages, type JsonContainer, type JsonImage } from './format';
import { analyzeInputs, problemLine } from './inputs';
import { chartContainers } from './helmExplain';
import type { CliIo } from './io';
import type { CliOptions } from './options';

export const EXPLAIN_WIDTH = 120;

export async function runExplain(o: CliOptions, io: CliIo): Promise<number> {
  const inputs = await analyzeInputs(o, io);
  for (const p of inputs.problems) io.stderr(problemLine(p));
  const containers: JsonContainer[] = [];
  const images: JsonImage[] = [];
  for (const { file, text, analysis, built } of inputs.files) {
    const lines = new LineIndex(text);
    // A chart's containers are listed once per chart (below), not per values file or template.
    if (!built && !analysis.helm) for (const c of analysis.contexts) containers.push(toJsonContainer(file.display, lines, c));
    if (analysis.dockerfile) images.push(...toJsonImages(file.display, analysis.dockerfile));
  }
  containers.push(...inputs.builds.containers);
  containers.push(...chartContainers(inputs.charts));
  if (o.format === 'html' || o.format === 'markdown') {
    // The report panel's page (self-contained, for CI artifacts) or its Markdown (pull-request comments), of the files as written.
    const written = inputs.files.filter((f) => !f.built);
    // Files a kustomize build read are shown as the builds judge them: cards in the files that define the containers.
    const own = reportModel(written.map(({ file, text, analysis }) => ({ analysis, text, display: file.display })));
    const model = { files: [...own.files, ...inputs.builds.reportFiles] };
    const subtitle = written.length === 1 && !inputs.builds.reportFiles.length ? written[0].file.display : `${inputs.files.length} files`;
    io.stdout(o.format === 'html' ? reportHtml(model, { mode: 'static', subtitle }) : reportMarkdown(model));
  } else if (o.format === 'json') io.stdout(JSON.stringify({ containers, images }, null, 2) + '\n');
  else {
    // A terminal's width when there is one, else 120 columns; --wide prints every value in full.
    const width = o.wide ? Infinity : (process.stdout.isTTY && process.stdout.columns) || EXPLAIN_WIDTH;
    const table = containers.length ? formatExplainText(containers, width) : undefined;
    const imageTable = images.length ? formatImagesText(images, width) : undefined;
    const parts = [table?.text ?? '', imageTable?.text ?? ''].filter(Boolean);
    if (table?.abbreviated || imageTable?.abbreviated) parts.push(`(abbreviated to ${width} columns; --wide prints every value)`);
    io.stdout((parts.length ? parts.join('\n\n') : 'No containers or images found.') + '\n');
  }
  return inputs.problems.some((p) => p.fatal) ? 2 : 0;
}
