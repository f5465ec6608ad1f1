// Vitest's JSON report, with each file named as the README shows it
// (`grader/specs/01-how-the-web-works.spec.ts`), not by an absolute path that
// differs on every machine.
import path from 'node:path';
import type { JsonTestResults } from 'vitest/node';
import { workbookRoot } from '../engine/paths.ts';

/** Made once Vitest is loaded: a check loads Vitest only after starting its workers (see warm-workers.ts). */
export async function relativeJsonReporter(options: { outputFile?: string }) {
  const { JsonReporter } = await import('vitest/node');
  class RelativeJsonReporter extends JsonReporter {
    override async writeReport(report: string): Promise<void> {
      const parsed = JSON.parse(report) as JsonTestResults;
      for (const file of parsed.testResults) file.name = path.relative(workbookRoot, file.name).split(path.sep).join('/');
      await super.writeReport(JSON.stringify(parsed));
    }
  }
  return new RelativeJsonReporter(options);
}
