/**
 * The report requests: the effective-context report of open documents as Markdown (`secctx/report`,
 * "Copy as Markdown") and as the report panel's page (`secctx/reportHtml`). The engine renders both;
 * this adapter only picks the documents.
 */
import * as path from 'node:path';
import type { Connection, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis } from '../engine/analyze';
import { reportHtml } from '../engine/present/html';
import { reportModel, type ReportFile, type ReportModel } from '../engine/present/report';
import { reportMarkdown } from '../engine/present/reportMarkdown';

export const REPORT_REQUEST = 'secctx/report';
export const REPORT_HTML_REQUEST = 'secctx/reportHtml';

export interface ReportHost {
  readonly documents: TextDocuments<TextDocument>;
  analysisOf(doc: TextDocument): FileAnalysis;
  /** The kustomize builds that read a file, as report cards (lsp/kustomize.ts); none outside trusted workspaces. */
  buildReports?(file: string): readonly ReportFile[];
}

export function registerReportRequests(connection: Connection, host: ReportHost): void {
  /** One document (the active editor's) or, without a uri, every open one. */
  const modelOf = (uri: string | undefined): { model: ReportModel; subtitle: string } => {
    const docs = uri ? [host.documents.get(uri)].filter((d): d is TextDocument => !!d) : host.documents.all();
    const files = docs.map((doc) => {
      const analysis = host.analysisOf(doc);
      return { analysis, text: doc.getText(), display: path.basename(analysis.path) };
    });
    // The builds that read the open files, once each (a base and its patch are read by the same build).
    const built = new Map<string, ReportFile>();
    for (const { analysis } of files) for (const f of host.buildReports?.(analysis.path) ?? []) built.set(`${f.build ?? ''}\0${f.path}`, f);
    return { model: { files: [...reportModel(files).files, ...built.values()] }, subtitle: files.length === 1 ? files[0].display : `${files.length} open files` };
  };
  connection.onRequest(REPORT_REQUEST, (params: { uri?: string }) => reportMarkdown(modelOf(params.uri).model));
  connection.onRequest(REPORT_HTML_REQUEST, (params: { uri?: string }) => {
    const { model, subtitle } = modelOf(params.uri);
    return reportHtml(model, { mode: 'panel', subtitle });
  });
}
