import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: "escapes with one regular expression and &#39;, and rewords the syntax errors",
    edits: [
      {
        file: 'filters.ts',
        find: /  return text\n    \.replaceAll\('&', '&amp;'\)[\s\S]*?\.replaceAll\("'", '&#x27;'\);/,
        replace:
          "  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\"': '&quot;', \"'\": '&#39;' };\n  return text.replace(/[&<>\"']/g, (c) => entities[c]!);",
      },
      {
        file: 'template.ts',
        find: "throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);",
        replace: 'throw new TemplateSyntaxError(`{% ${tag} %} (line ${opener.line}) is never closed: add {% ${until.at(-1)} %}.`);',
      },
      {
        file: 'template.ts',
        find: "if (!apply) throw new TemplateSyntaxError(`Invalid filter on line ${line}: '${name}'.`);",
        replace: 'if (!apply) throw new TemplateSyntaxError(`No filter called "${name}" (line ${line}).`);',
      },
    ],
  },
  {
    name: 'climbs the extends chain in a loop and writes the filters as named functions',
    edits: [
      {
        file: 'template.ts',
        find: /function renderParsed\(template: Template, context: Context, blocks: Blocks\): string \{[\s\S]*?\n\}\n/,
        replace: `function renderParsed(template: Template, context: Context, blocks: Blocks): string {
  let current = template;
  let found = blocks;
  while (current.extends) {
    // Blocks found lower down stay: the most derived template wins.
    found = Object.assign(collectBlocks(current.nodes), found);
    current = parse(tokenize(loadTemplate(current.extends)));
  }
  return renderNodes(current.nodes, context, found);
}
`,
      },
      {
        file: 'filters.ts',
        find: /export const filters: Record<string, Filter> = \{[\s\S]*?\n\};\n/,
        replace: `function upper(value: unknown): string {
  return toText(value).toUpperCase();
}

function lower(value: unknown): string {
  return toText(value).toLowerCase();
}

function length(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return 0;
}

function fallback(value: unknown, argument?: unknown): unknown {
  if (isTruthy(value)) return value;
  return argument;
}

function join(value: unknown, separator: unknown = ''): unknown {
  if (!Array.isArray(value)) return value;
  const parts: string[] = [];
  for (const item of value) parts.push(item instanceof SafeString ? item.html : escapeHtml(toText(item)));
  return markSafe(parts.join(conditionalEscape(separator)));
}

function safe(value: unknown): SafeString {
  return value instanceof SafeString ? value : markSafe(toText(value));
}

export const filters: Record<string, Filter> = { upper, lower, length, default: fallback, join, safe };
`,
      },
    ],
  },
  {
    name: 'adds harmless headers and writes the content type in another case',
    edits: [
      {
        find: "    response.headers.set('etag',",
        replace: "    response.headers.set('x-engine', 'roundtrip-templates');\n    response.headers.set('etag',",
      },
      {
        file: 'template-response.ts',
        find: "headers: { 'content-type': 'text/html; charset=utf-8' }",
        replace: "headers: { 'Content-Type': 'text/html;charset=UTF-8', 'X-Rendered-Late': 'yes' }",
      },
    ],
  },
  {
    name: 'escapes more than the five, as OWASP suggests (/ ` = too), with &apos; and decimal references',
    edits: [
      {
        file: 'filters.ts',
        find: /  return text\n    \.replaceAll\('&', '&amp;'\)[\s\S]*?\.replaceAll\("'", '&#x27;'\);/,
        replace:
          "  const entities: Record<string, string> = { '&': '&amp;', '<': '&#60;', '>': '&#62;', '\"': '&#34;', \"'\": '&apos;', '/': '&#x2F;', '`': '&#96;', '=': '&#61;' };\n  return text.replace(/[&<>\"'/`=]/g, (c) => entities[c]!);",
      },
    ],
  },
  {
    name: 'says a for loop is left open in words of its own, without "unclosed" or endfor',
    edits: [
      {
        file: 'template.ts',
        find: "throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);",
        replace: 'throw new TemplateSyntaxError(`The ${tag} loop that starts on line ${opener.line} is still open when the template ends.`);',
      },
    ],
  },
  {
    name: 'tokenizes with a hand-written scanner, escapes with &#34; and &#039;, and looks keys up with Object.hasOwn',
    edits: [
      {
        file: 'template.ts',
        find: /export function tokenize\(source: string\): Token\[\] \{[\s\S]*?\n\}\n/,
        replace: `export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let at = 0;
  const lines = (text: string) => text.split('\\n').length - 1;
  while (at < source.length) {
    const found = source.slice(at).search(/\\{[{%#]/);
    const start = found === -1 ? source.length : at + found;
    if (start > at) {
      const text = source.slice(at, start);
      tokens.push({ type: 'text', content: text, line });
      line += lines(text);
    }
    if (start >= source.length) break;
    const closer = { '{': '}}', '%': '%}', '#': '#}' }[source[start + 1] as '{' | '%' | '#'];
    const end = source.indexOf(closer, start + 2);
    const newline = source.indexOf('\\n', start);
    // No closer on the same line: the braces are text, as in Django.
    if (end === -1 || (newline !== -1 && newline < end)) {
      tokens.push({ type: 'text', content: source.slice(start, start + 2), line });
      at = start + 2;
      continue;
    }
    const inside = source.slice(start + 2, end).trim();
    if (closer === '}}') tokens.push({ type: 'variable', content: inside, line });
    else if (closer === '%}') tokens.push({ type: 'tag', content: inside, line });
    at = end + 2;
  }
  return tokens;
}
`,
      },
      {
        file: 'filters.ts',
        find: ".replaceAll('\"', '&quot;')\n    .replaceAll(\"'\", '&#x27;');",
        replace: ".replaceAll('\"', '&#34;')\n    .replaceAll(\"'\", '&#039;');",
      },
      {
        file: 'template.ts',
        find: "  if (key in Object.prototype) return undefined;\n  const found = (value as Record<string, unknown>)[key];",
        replace: "  if (typeof value !== 'object' || !Object.hasOwn(value as object, key)) return undefined;\n  const found = (value as Record<string, unknown>)[key];",
      },
    ],
  },
  {
    name: 'keeps each parsed template in a Map keyed by its source, and tests for special characters with a pattern without g before escaping',
    edits: [
      {
        file: 'template.ts',
        find: 'export function renderTemplate(source: string, context: Context = {}): string {\n  return renderParsed(parse(tokenize(source)), context, {});',
        replace: 'const parsedSources = new Map<string, Template>();\nexport function renderTemplate(source: string, context: Context = {}): string {\n  let template = parsedSources.get(source);\n  if (!template) parsedSources.set(source, (template = parse(tokenize(source))));\n  return renderParsed(template, context, {});',
      },
      {
        file: 'filters.ts',
        find: 'export function escapeHtml(text: string): string {\n',
        replace: "const unsafe = /[&<>\"']/;\nexport function escapeHtml(text: string): string {\n  if (!unsafe.test(text)) return text;\n",
      },
    ],
  },
  {
    name: 'escapes / ` = too, with upper-case and decimal references and &apos;, and words the unclosed-tag error "unclosed tag: for, opened on line 4"',
    edits: [
      {
        file: 'filters.ts',
        find: "  return text\n    .replaceAll('&', '&amp;')\n    .replaceAll('<', '&lt;')\n    .replaceAll('>', '&gt;')\n    .replaceAll('\"', '&quot;')\n    .replaceAll(\"'\", '&#x27;');",
        replace: "  const map: Record<string, string> = { '&': '&AMP;', '<': '&#60;', '>': '&#X3E;', '\"': '&#34;', \"'\": '&apos;', '/': '&#x2F;', '`': '&#96;', '=': '&#x3D;' };\n  return text.replace(/[&<>\"'\\/`=]/g, (c) => map[c]!);",
      },
      {
        file: 'template.ts',
        find: "throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);",
        replace: 'throw new TemplateSyntaxError(`unclosed tag: ${tag}, opened on line ${opener.line}`);',
      },
    ],
  },
  {
    name: 'escapes every character but letters and digits as a hexadecimal reference (" " as &#x20;, "-" as &#x2D;), and says "The for opened on line 4 was never closed" (round 22)',
    edits: [
      {
        file: 'filters.ts',
        find: "  return text\n    .replaceAll('&', '&amp;')\n    .replaceAll('<', '&lt;')\n    .replaceAll('>', '&gt;')\n    .replaceAll('\"', '&quot;')\n    .replaceAll(\"'\", '&#x27;');",
        replace: '  return text.replace(/[^A-Za-z0-9]/g, (c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`);',
      },
      {
        file: 'template.ts',
        find: "throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);",
        replace: 'throw new TemplateSyntaxError(`The ${tag} opened on line ${opener.line} was never closed: close it with ${until.at(-1)}.`);',
      },
    ],
  },
  {
    name: 'names the unclosed tag in typographic quotes and its line as L4: Unclosed tag “for” at L4 (round 22)',
    edits: [
      {
        file: 'template.ts',
        find: "throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);",
        replace: 'throw new TemplateSyntaxError(`Unclosed tag “${tag}” at L${opener.line}; expected one of: ${until.join(\', \')}.`);',
      },
    ],
  },
  {
    name: 'puts the line of the unclosed tag on a second line of the message, as a compiler does: "  --> template line 4" (round 22)',
    edits: [
      {
        file: 'template.ts',
        find: "throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);",
        replace: "throw new TemplateSyntaxError(`Unclosed tag '${tag}': expected ${until.join(' or ')}\\n  --> template line ${opener.line}`);",
      },
    ],
  },
] satisfies Variant[];
