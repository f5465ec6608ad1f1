// npm run site [-- --out DIR] [--screenshots]: the lessons as a small static
// book (site/ by default), to read in a browser, offline, or to put on any
// static host. --screenshots also saves every page at a desktop and a phone
// width into DIR/screenshots/, for a review of the layout.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayPath, workbookRoot } from '../../engine/paths.ts';
import { UserError } from '../../engine/user-error.ts';
import { colour, symbols } from '../../ui/style.ts';
import { buildSite } from '../../../website/build.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run site [-- --out DIR] [--screenshots]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { out: { type: 'string' }, screenshots: { type: 'boolean' } }, usage);
    if (parsed.positionals.length) throw new UserError(`npm run site takes no lesson: it builds them all.\nUsage: ${usage}`);
    const outDir = path.resolve(parsed.values.out ?? path.join(workbookRoot, 'site'));
    const site = await buildSite(outDir);
    const shown = (file: string) => (path.relative(workbookRoot, file).startsWith('..') ? file : displayPath(file));
    console.log(`${colour.green(symbols.pass)} Built ${site.pages.length} lesson pages into ${shown(outDir)}/`);
    if (parsed.values.screenshots) {
      // Loaded only here: playwright-core and Chromium are needed for screenshots alone.
      const { takeScreenshots, screenshotWidths } = await import('../../../website/screenshots.ts');
      const into = path.join(outDir, 'screenshots');
      const files = await takeScreenshots(outDir, ['index.html', ...site.pages.map((p) => path.basename(p))], into);
      console.log(`${colour.green(symbols.pass)} Saved ${files.length} screenshots (${screenshotWidths.join(' px and ')} px wide) into ${shown(into)}/`);
    }
    console.log(`Open ${pathToFileURL(site.index).href} in a browser.`);
    return 0;
  });
}
