// npm run site [-- --out DIR]: the lessons as a small static site (site/ by
// default), to read in a browser, offline, or to put on any static host.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayPath, workbookRoot } from '../../engine/paths.ts';
import { buildSite, SiteFolderError } from '../../../website/build.ts';
import { colour, symbols } from '../../ui/style.ts';
import { UserError } from '../../engine/user-error.ts';
import { parseCommandArgs } from '../args.ts';
import { runCommand } from '../run-command.ts';

const usage = 'npm run site [-- --out DIR]';

export function run(args: string[]): Promise<number> {
  return runCommand(async () => {
    const parsed = parseCommandArgs(args, { out: { type: 'string' } }, usage);
    if (parsed.positionals.length) throw new UserError(`npm run site takes no lesson: it builds them all.\nUsage: ${usage}`);
    const outDir = path.resolve(parsed.values.out ?? path.join(workbookRoot, 'site'));
    let site;
    try {
      site = await buildSite(outDir);
    } catch (error) {
      if (error instanceof SiteFolderError) throw new UserError(error.message);
      throw error;
    }
    const shown = path.relative(workbookRoot, outDir).startsWith('..') ? outDir : displayPath(outDir);
    console.log(`${colour.green(symbols.pass)} Built ${site.pages.length} lesson pages into ${shown}/`);
    console.log(`Open ${pathToFileURL(site.index).href} in a browser.`);
    return 0;
  });
}
