// A learner's server runs as a bundle (see compile.ts) without Node's
// --enable-source-maps: with it, Node 20 reads the bundle's whole source map
// as the server starts, about 8 ms of CPU for each of the hundreds of servers
// a check or a test run starts, for a map that only a stack trace needs. The
// grader reads everything a server prints, so it puts the .ts locations back
// itself, and reads the map only when a line names the bundle.
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { escapeRegExp } from './format.ts';

const inlineMap = '//# sourceMappingURL=data:application/json;base64,';

/**
 * Rewrites `bundle`'s locations in a line of output, `file:///…/server.mjs:12:7`
 * or a plain path, as the .ts file, line and column they came from; other text is left as it is.
 */
export function originalLocations(bundle: string): (text: string) => string {
  const url = pathToFileURL(bundle).href;
  // "path:line:column" in a stack frame, "path:line" above the code of an uncaught error.
  const location = new RegExp(`(?:${escapeRegExp(url)}|${escapeRegExp(bundle)}):(\\d+)(?::(\\d+))?`, 'g');
  let map: SourceMap | null | undefined;
  return (text) => {
    if (!text.includes(bundle) && !text.includes(url)) return text;
    map ??= readMap(bundle);
    if (!map) return text;
    const found = map;
    return text.replace(location, (whole, line: string, column: string | undefined) => {
      const entry = found.findEntry(Number(line) - 1, column === undefined ? 0 : Number(column) - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
      if (!entry.originalSource || entry.originalLine === undefined) return whole;
      const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(bundle), entry.originalSource);
      return column === undefined ? `${source}:${entry.originalLine + 1}` : `${source}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
    });
  };
}

/** The inline source map at the end of the bundle; null when there is none or it cannot be read. */
function readMap(bundle: string): SourceMap | null {
  try {
    const code = fs.readFileSync(bundle, 'utf8');
    const at = code.lastIndexOf(inlineMap);
    if (at === -1) return null;
    return new SourceMap(JSON.parse(Buffer.from(code.slice(at + inlineMap.length).trim(), 'base64').toString('utf8')));
  } catch {
    return null;
  }
}
