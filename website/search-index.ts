// Offline search: the text of every section of every lesson, written into a
// script the pages load (a <script> works from file://, where fetch() of a
// JSON file does not). website/assets/site.js searches it as you type.

export interface SearchSection {
  /** Page and anchor: "06-middleware.html#the-idea". */
  href: string;
  /** "06 · Middleware" */
  lesson: string;
  heading: string;
  text: string;
}

/** The sections of a rendered lesson page: one per h2 and h3, with its text. */
export function sectionsOf(html: string, page: string, lesson: string): SearchSection[] {
  const sections: SearchSection[] = [];
  const parts = html.split(/(?=<h[23] id=")/);
  for (const part of parts) {
    const heading = part.match(/^<h[23] id="([^"]+)">([\s\S]*?)<\/h[23]>/);
    if (!heading) continue;
    sections.push({ href: `${page}#${heading[1]}`, lesson, heading: plain(heading[2]!), text: plain(part.slice(heading[0].length)) });
  }
  return sections;
}

export function searchScript(sections: SearchSection[]): string {
  // JSON is valid JavaScript; "<" is escaped so no text can close the script.
  return `// Made by \`npm run site\`: every section of every lesson, for the search box.\nwindow.roundtripSearch = ${JSON.stringify(sections).replace(/</g, '\\u003c')};\n`;
}

function plain(html: string): string {
  return html
    .replace(/<details class="hint">[\s\S]*?<\/details>/g, ' ') // hints stay hidden in search too
    .replace(/<a class="anchor"[^>]*>[\s\S]*?<\/a>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
