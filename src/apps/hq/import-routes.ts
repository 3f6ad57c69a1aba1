import type { FastifyContextConfig } from 'fastify';
import { audit } from '../../access/index.ts';
import { type ReadResult, readExportText } from '../../catalog/index.ts';
import {
  API_BASE,
  IMPORT_MAX_BYTES,
  type ImportOptions,
  importReportSchema,
  importRequestSchema,
} from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import { applyCatalogImport, contentHash, planCatalogImport } from '../shared/catalog-import.ts';
import { bearer, type HqRoutes } from './hq-routes.ts';

/**
 * The legacy catalog import through HQ's API, for the dashboard and for the CLI while HQ holds its
 * data folder: a dry run answers the plan report with a plan id; an apply names that id and writes
 * exactly that plan, or answers 409 when the catalog moved since. One audit entry per apply.
 */
export const importRoutes: HqRoutes = (app, { db }) => {
  // Planning reads the whole catalog and applying writes it: the chain's catalog editors only.
  const asCatalogEditor: FastifyContextConfig = { access: { permission: 'edit_catalog', scope: 'chain' } };

  app.post(
    `${API_BASE}/catalog/imports`,
    {
      schema: {
        summary:
          'Plan (dryRun: true) or apply (dryRun: false with the dry run’s planId) an import of Shopify, Square or Lightspeed catalog exports',
        security: bearer,
        body: importRequestSchema,
        response: { 200: importReportSchema },
      },
      // The files travel as JSON text: their limit plus room for the envelope.
      bodyLimit: IMPORT_MAX_BYTES + 64 * 1024,
      config: asCatalogEditor,
    },
    async (req) => {
      const { files, dryRun, planId } = req.body;
      const options = req.body.options as ImportOptions;
      const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.content, 'utf8'), 0);
      if (bytes > IMPORT_MAX_BYTES)
        throw invalid('files', `${bytes} bytes of CSV is more than ${IMPORT_MAX_BYTES}: split the export`);
      if (options.reviewAt > options.mergeAt) throw invalid('options.reviewAt', 'must not be above mergeAt');
      if (!dryRun && !planId)
        throw invalid('planId', 'applying needs the planId of a dry run: run it with dryRun: true first');
      const results: ReadResult[] = [];
      for (const [i, f] of files.entries()) {
        try {
          results.push(await readExportText(f.kind, f.name, f.content, { decimals: options.decimals }));
        } catch (err) {
          // The reader names the file; the field says which upload it was.
          if (err instanceof Error && 'field' in err && err.field === 'file')
            throw invalid(`files[${i}]`, err.message);
          throw err;
        }
      }
      if (dryRun) return (await planCatalogImport(db, results, options)).report;
      const names = files.map((f) => f.name);
      const done = await applyCatalogImport(db, results, options, planId!, {
        note: `import of ${names.join(', ')}`,
      });
      const r = done.report;
      await audit(req).record({
        action: 'catalog.imported',
        target: { type: 'catalog_import', id: r.planId },
        after: {
          files: names,
          contentSha256: contentHash(files),
          options,
          counts: r.counts,
          taxClasses: r.taxClasses,
        },
      });
      return r;
    },
  );
};
