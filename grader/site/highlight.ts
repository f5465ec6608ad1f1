// A small syntax highlighter for the languages the lessons use: TypeScript,
// shell, HTTP messages, Python and JSON. It only colours; it never changes a
// character. Each token becomes <span class="tok-KIND">; the site's CSS gives
// the kinds their colours. Anything else is escaped and left plain.

export type TokenKind = 'comment' | 'string' | 'keyword' | 'number' | 'type' | 'command' | 'option' | 'variable' | 'header' | 'method' | 'status' | 'decorator' | 'punctuation';

interface Rule {
  kind: TokenKind | null | ((text: string) => TokenKind | null);
  pattern: RegExp;
  /** Only where a word may start (after whitespace, or at a line's start). */
  wordStart?: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const tsKeywords = new Set(
  ('abstract as async await break case catch class const continue debugger declare default delete do else enum export extends ' +
    'false finally for from function get if implements import in infer instanceof interface keyof let namespace new null of ' +
    'private protected public readonly return satisfies set static super switch this throw true try type typeof undefined ' +
    'unique var void while yield').split(' '),
);
const pythonKeywords = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield self').split(' '),
);

const word = (keywords: Set<string>) => (text: string): TokenKind | null =>
  keywords.has(text) ? 'keyword' : /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(text) ? 'type' : null;

const number: Rule = { kind: 'number', pattern: /0[xX][\da-fA-F_]+n?|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?n?/y };

const languages: Record<string, Rule[]> = {
  ts: [
    { kind: 'comment', pattern: /\/\/[^\n]*|\/\*[\s\S]*?\*\//y },
    { kind: 'string', pattern: /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\[\s\S]|[^`\\])*`/y },
    { kind: word(tsKeywords), pattern: /[A-Za-z_$][\w$]*/y },
    number,
  ],
  python: [
    { kind: 'comment', pattern: /#[^\n]*/y },
    { kind: 'string', pattern: /[rbfRBF]{0,2}(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/y },
    { kind: 'decorator', pattern: /@[\w.]+/y },
    { kind: word(pythonKeywords), pattern: /[A-Za-z_][\w]*/y },
    number,
  ],
  json: [
    { kind: 'string', pattern: /"(?:\\.|[^"\\\n])*"/y },
    { kind: (t) => (t === 'true' || t === 'false' || t === 'null' ? 'keyword' : null), pattern: /[A-Za-z_]\w*/y },
    { kind: 'number', pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y },
  ],
};
const aliases: Record<string, string> = {
  typescript: 'ts', js: 'ts', javascript: 'ts', mjs: 'ts', mts: 'ts', tsx: 'ts', jsx: 'ts',
  py: 'python', bash: 'sh', shell: 'sh', console: 'sh', zsh: 'sh',
};

/** The languages that get colour; `text` and unknown ones are shown as they are. */
export function highlights(lang: string): boolean {
  const name = aliases[lang] ?? lang;
  return name in languages || name === 'sh' || name === 'http';
}

/** HTML for a code block's contents (escaped, with <span>s). */
export function highlight(code: string, lang: string): string {
  const name = aliases[lang] ?? lang;
  if (name === 'sh') return highlightShell(code);
  if (name === 'http') return highlightHttp(code);
  const rules = languages[name];
  return rules ? scan(code, rules) : escapeHtml(code);
}

function span(kind: TokenKind | null, text: string): string {
  return kind ? `<span class="tok-${kind}">${escapeHtml(text)}</span>` : escapeHtml(text);
}

function scan(code: string, rules: Rule[]): string {
  let out = '';
  let plain = '';
  let at = 0;
  outer: while (at < code.length) {
    for (const rule of rules) {
      if (rule.wordStart && at > 0 && !/\s/.test(code[at - 1]!)) continue;
      rule.pattern.lastIndex = at;
      const match = rule.pattern.exec(code);
      if (!match || !match[0]) continue;
      const kind = typeof rule.kind === 'function' ? rule.kind(match[0]) : rule.kind;
      if (kind) {
        out += escapeHtml(plain) + span(kind, match[0]);
        plain = '';
      } else {
        plain += match[0];
      }
      at += match[0].length;
      continue outer;
    }
    plain += code[at];
    at++;
  }
  return out + escapeHtml(plain);
}

/**
 * Shell: the command name at the start of each command (after a `$ ` prompt,
 * `|`, `&&`, `;`), options, variables, strings and comments.
 */
function highlightShell(code: string): string {
  const rules: { kind: TokenKind | null; pattern: RegExp; wordStart?: boolean }[] = [
    { kind: 'comment', pattern: /#[^\n]*/y, wordStart: true },
    { kind: 'string', pattern: /'[^']*'|"(?:\\.|[^"\\])*"|\$'(?:\\.|[^'\\])*'/y },
    { kind: 'variable', pattern: /\$\{[^}\n]*\}|\$[A-Za-z_]\w*|\$[0-9?#@*!$-]/y },
    { kind: 'punctuation', pattern: /\\\n|\|\||&&|[|;]/y },
    { kind: 'option', pattern: /--?[A-Za-z0-9][\w-]*(?:=[^\s'"]*)?/y, wordStart: true },
    { kind: null, pattern: /\s+/y },
    { kind: null, pattern: /[^\s'"|;&$#]+|[#&$]/y },
    { kind: null, pattern: /[\s\S]/y }, // an unclosed quote: shown as it is
  ];
  let out = '';
  let at = 0;
  let commandNext = true;
  while (at < code.length) {
    if (at === 0 || code[at - 1] === '\n') {
      // A prompt, "$ ", is not part of the command.
      if (code.startsWith('$ ', at)) {
        out += span('punctuation', '$') + ' ';
        at += 2;
        continue;
      }
    }
    const rule = rules.find((r) => {
      if (r.wordStart && at > 0 && !/\s/.test(code[at - 1]!)) return false;
      r.pattern.lastIndex = at;
      return r.pattern.test(code);
    })!;
    rule.pattern.lastIndex = at;
    const text = rule.pattern.exec(code)![0];
    at += text.length;
    if (rule.kind === null && /^\s+$/.test(text)) {
      out += text;
      if (text.includes('\n')) commandNext = true;
    } else if (rule.kind === null && commandNext && /^[A-Za-z_]\w*=/.test(text)) {
      out += span('variable', text); // NAME=value before a command
    } else if (rule.kind === null && commandNext) {
      out += span('command', text);
      commandNext = false;
    } else {
      out += span(rule.kind, text);
      if (rule.kind === 'punctuation' && text !== '\\\n') commandNext = true;
      else if (rule.kind !== 'punctuation') commandNext = false;
    }
  }
  return out;
}

/** HTTP messages: the request or status line, header names, and the body left plain. */
function highlightHttp(code: string): string {
  const lines = code.split('\n');
  let inBody = false;
  return lines
    .map((line) => {
      const request = /^([A-Z]+)( \S+ )(HTTP\/[\d.]+)(.*)$/.exec(line);
      const status = /^(HTTP\/[\d.]+)( )(\d{3})(.*)$/.exec(line);
      if (request) {
        inBody = false;
        return span('method', request[1]!) + escapeHtml(request[2]!) + span('keyword', request[3]!) + escapeHtml(request[4]!);
      }
      if (status) {
        inBody = false;
        return span('keyword', status[1]!) + status[2] + span('status', status[3]!) + escapeHtml(status[4]!);
      }
      if (line.trim() === '' || line === '\\r\\n') {
        inBody = true;
        return escapeHtml(line);
      }
      const field = !inBody && /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(:)(.*)$/.exec(line);
      if (field) return span('header', field[1]!) + escapeHtml(field[2]! + field[3]!);
      return escapeHtml(line);
    })
    .join('\n');
}
