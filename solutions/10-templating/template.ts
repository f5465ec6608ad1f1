// Lesson 10: a template engine in the style of Django's. The source becomes
// tokens, the tokens a tree of nodes, and the tree, given a context, the page.
//
// The API (lesson 13 uses it too):
//   setTemplateDirs([dir])                      where render() finds templates, like Django's DIRS
//   render('greet.html', { user })              a template from those folders -> HTML
//   renderTemplate('Hi {{ name }}!', { name })  a template in a string -> HTML
//   markSafe('<b>trusted</b>')                  HTML to insert unescaped (from filters.ts)
//   TemplateSyntaxError                         what a broken template throws
import fs from 'node:fs';
import path from 'node:path';
import { conditionalEscape, filters, isTruthy, markSafe, type Filter } from './filters.ts';

export { escapeHtml, markSafe, SafeString } from './filters.ts';

/** The values a template can see: { user: { name: 'Ada' } } lets it write {{ user.name }}. */
export type Context = Record<string, unknown>;

/** A template that cannot be parsed; the message says what is wrong, and on which line. */
export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
}

/** A piece of the source: plain text, the inside of {{ … }}, or the inside of {% … %}. */
export interface Token {
  type: 'text' | 'variable' | 'tag';
  /** The text as it is, or what is between the braces, trimmed: "user.name|upper", "if user". */
  content: string;
  /** The line the token starts on, for error messages. */
  line: number;
}

/** A literal ("anonymous", 3) or a dotted name to look up in the context (user.name). */
export type Operand = { literal: unknown } | { lookup: string[] };

/** {{ tags|join:", "|upper }}: a value, then filters applied left to right. */
export interface Expression {
  value: Operand;
  filters: { name: string; apply: Filter; argument?: Operand }[];
}

export type Node =
  | { type: 'text'; text: string }
  | { type: 'variable'; expression: Expression }
  | { type: 'if'; condition: Expression; then: Node[]; else: Node[] }
  | { type: 'for'; name: string; items: Expression; body: Node[]; empty: Node[] }
  | { type: 'block'; name: string; body: Node[] };

/** A parsed template: its nodes, and the name of the template it extends, if any. */
export interface Template {
  extends?: string;
  nodes: Node[];
}

/** Block bodies by name, from the templates that extend the one being rendered. */
export type Blocks = Record<string, Node[]>;

// 'Hi {{ name }}!{# a note #}' -> text 'Hi ', variable 'name', text '!'
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  // Django's tag_re: no tag spans a line break. The capturing group makes
  // split() keep the tags, so even indexes hold text and odd ones hold tags.
  source.split(/({{.*?}}|{%.*?%}|{#.*?#})/).forEach((part, i) => {
    const inside = part.slice(2, -2).trim();
    if (i % 2 === 0) {
      if (part) tokens.push({ type: 'text', content: part, line });
    } else if (part.startsWith('{{')) {
      tokens.push({ type: 'variable', content: inside, line });
    } else if (part.startsWith('{%')) {
      tokens.push({ type: 'tag', content: inside, line });
    }
    // A {# comment #} leaves no token at all.
    line += part.split('\n').length - 1;
  });
  return tokens;
}

// parse(tokenize('{% if user %}Hi{% else %}Who?{% endif %}'))
//   -> { nodes: [{ type: 'if', condition: user, then: [text 'Hi'], else: [text 'Who?'] }] }
export function parse(tokens: Token[]): Template {
  const parser = new Parser(tokens);
  const { nodes } = parser.parseUntil([]);
  return { extends: parser.parent, nodes };
}

class Parser {
  private next = 0;
  parent?: string;

  constructor(private readonly tokens: Token[]) {}

  /** Nodes up to one of the `until` tags, which is consumed and returned as `end`. */
  parseUntil(until: string[], opener?: Token): { nodes: Node[]; end: string } {
    const nodes: Node[] = [];
    while (this.next < this.tokens.length) {
      const token = this.tokens[this.next++]!;
      if (token.type === 'text') nodes.push({ type: 'text', text: token.content });
      else if (token.type === 'variable') nodes.push({ type: 'variable', expression: parseExpression(token.content, token.line) });
      else {
        const [tag = '', ...args] = token.content.split(/\s+/);
        if (until.includes(tag)) return { nodes, end: tag };
        nodes.push(this.parseTag(tag, args, token, until));
      }
    }
    // The tokens ran out while a tag was still open. Guessing where it should
    // end would render a page nobody wrote: name the tag, its line, and what would close it.
    if (opener) {
      const tag = opener.content.split(/\s+/)[0];
      throw new TemplateSyntaxError(`Unclosed tag on line ${opener.line}: '${tag}'. Looking for one of: ${until.join(', ')}.`);
    }
    return { nodes, end: '' };
  }

  private parseTag(tag: string, args: string[], token: Token, until: string[]): Node {
    switch (tag) {
      case 'if': {
        // {% if user %} … {% else %} … {% endif %}
        const condition = parseExpression(args.join(' '), token.line);
        const then = this.parseUntil(['else', 'endif'], token);
        const otherwise = then.end === 'else' ? this.parseUntil(['endif'], token).nodes : [];
        return { type: 'if', condition, then: then.nodes, else: otherwise };
      }
      case 'for': {
        // {% for item in items %} … {% empty %} … {% endfor %}
        const [name, keyword, ...items] = args;
        if (!name || keyword !== 'in' || !items.length) {
          throw new TemplateSyntaxError(`A for tag looks like {% for item in items %}; line ${token.line} has {% ${token.content} %}.`);
        }
        const body = this.parseUntil(['empty', 'endfor'], token);
        const empty = body.end === 'empty' ? this.parseUntil(['endfor'], token).nodes : [];
        return { type: 'for', name, items: parseExpression(items.join(' '), token.line), body: body.nodes, empty };
      }
      case 'block': {
        // {% block content %} … {% endblock %}
        const [name] = args;
        if (!name) throw new TemplateSyntaxError(`The block tag on line ${token.line} needs a name: {% block content %}.`);
        return { type: 'block', name, body: this.parseUntil(['endblock'], token).nodes };
      }
      case 'extends': {
        // {% extends "base.html" %}: nothing to render here; render() fills the parent's blocks.
        const quoted = /^"([^"]+)"$|^'([^']+)'$/.exec(args.join(' '));
        if (!quoted) throw new TemplateSyntaxError(`The extends tag on line ${token.line} needs a quoted name: {% extends "base.html" %}.`);
        this.parent = quoted[1] ?? quoted[2];
        return { type: 'text', text: '' };
      }
      default: {
        const expected = until.length ? `, expected ${until.map((t) => `'${t}'`).join(' or ')}` : '';
        throw new TemplateSyntaxError(`Invalid block tag on line ${token.line}: '${tag}'${expected}.`);
      }
    }
  }
}

// 'tags|join:", "|upper' -> { value: lookup tags, filters: [join with ", ", upper] }
function parseExpression(text: string, line: number): Expression {
  // Split on the pipes outside quotes, so that join:" | " keeps its argument whole.
  const [first = '', ...rest] = text.match(/(?:"[^"]*"|'[^']*'|[^|])+/g) ?? [];
  return {
    value: parseOperand(first.trim(), line),
    filters: rest.map((part) => {
      const colon = part.indexOf(':');
      const name = (colon === -1 ? part : part.slice(0, colon)).trim();
      const apply = filters[name];
      // Found while parsing, not while rendering: a typo fails every time, not only on some pages.
      if (!apply) throw new TemplateSyntaxError(`Invalid filter on line ${line}: '${name}'.`);
      return { name, apply, argument: colon === -1 ? undefined : parseOperand(part.slice(colon + 1).trim(), line) };
    }),
  };
}

// '"anonymous"' -> a literal, marked safe; '3' -> 3; 'user.name' -> lookup ['user', 'name']
function parseOperand(text: string, line: number): Operand {
  const quoted = /^"([^"]*)"$|^'([^']*)'$/.exec(text);
  // The template's author wrote this text, so it is trusted, as Django trusts string literals.
  if (quoted) return { literal: markSafe(quoted[1] ?? quoted[2] ?? '') };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { literal: Number(text) };
  if (/^[A-Za-z_]\w*(\.\w+)*$/.test(text)) return { lookup: text.split('.') };
  throw new TemplateSyntaxError(`Could not parse '${text}' on line ${line}.`);
}

// renderTemplate('Hi {{ name|upper }}!', { name: 'Ada' }) -> 'Hi ADA!'
export function renderTemplate(source: string, context: Context = {}): string {
  return renderParsed(parse(tokenize(source)), context, {});
}

// render('greet.html', { user: { name: 'Ada' } }) -> the page, inside base.html if it extends it
export function render(name: string, context: Context = {}): string {
  return renderTemplate(loadTemplate(name), context);
}

/** A parsed template, with `blocks` (from templates that extend it) in place of its own. */
function renderParsed(template: Template, context: Context, blocks: Blocks): string {
  if (!template.extends) return renderNodes(template.nodes, context, blocks);
  // A child renders as its parent with the child's blocks filled in. Blocks that
  // arrived from further down (a grandchild's) win over the child's own.
  const parent = parse(tokenize(loadTemplate(template.extends)));
  return renderParsed(parent, context, { ...collectBlocks(template.nodes), ...blocks });
}

function collectBlocks(nodes: Node[], found: Blocks = {}): Blocks {
  for (const node of nodes) {
    if (node.type !== 'block') continue;
    found[node.name] = node.body;
    // A block inside a block can be overridden on its own too.
    collectBlocks(node.body, found);
  }
  return found;
}

function renderNodes(nodes: Node[], context: Context, blocks: Blocks): string {
  let html = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        html += node.text;
        break;
      case 'variable':
        // The one place values enter the page, so the one place to escape them.
        html += conditionalEscape(evaluate(node.expression, context));
        break;
      case 'if':
        html += renderNodes(isTruthy(evaluate(node.condition, context)) ? node.then : node.else, context, blocks);
        break;
      case 'for': {
        const items = toList(evaluate(node.items, context));
        if (!items.length) html += renderNodes(node.empty, context, blocks);
        // Each pass sees the whole context plus the loop variable, which hides an outer one of the same name.
        for (const item of items) html += renderNodes(node.body, { ...context, [node.name]: item }, blocks);
        break;
      }
      case 'block':
        // A child template's version of the block replaces this one's.
        html += renderNodes(blocks[node.name] ?? node.body, context, blocks);
        break;
    }
  }
  return html;
}

function evaluate(expression: Expression, context: Context): unknown {
  return expression.filters.reduce(
    (value, filter) => filter.apply(value, filter.argument ? resolve(filter.argument, context) : undefined),
    resolve(expression.value, context),
  );
}

function resolve(operand: Operand, context: Context): unknown {
  return 'literal' in operand ? operand.literal : operand.lookup.reduce<unknown>(lookup, context);
}

// lookup({ name: 'Ada' }, 'name') -> 'Ada'; lookup(['a', 'b'], '1') -> 'b'; lookup(undefined, 'x') -> undefined
function lookup(value: unknown, key: string): unknown {
  // A dot that leads nowhere is not an error: the whole variable is just missing.
  if (value === null || value === undefined) return undefined;
  // Never hand a template what every object inherits (constructor, __proto__, toString…).
  if (key in Object.prototype) return undefined;
  const found = (value as Record<string, unknown>)[key];
  // Django would call a method here; this engine shows data only.
  return typeof found === 'function' ? undefined : found;
}

function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // A Set or a Map loops too; anything else (a missing list included) counts as empty.
  if (value instanceof Set || value instanceof Map) return [...value];
  return [];
}

// Don't change anything below this line: finding templates on disk is provided.

let templateDirs: string[] = [];

/** Where render() looks for templates, in order, like the DIRS of Django's TEMPLATES setting. */
export function setTemplateDirs(dirs: string[]): void {
  templateDirs = dirs.map((dir) => path.resolve(dir));
}

/** No folder has the template, like Django's TemplateDoesNotExist. */
export class TemplateDoesNotExist extends Error {
  override name = 'TemplateDoesNotExist';
}

/** The source of a template, from the first folder that has it. Read on every call, so an edit shows at once. */
export function loadTemplate(name: string): string {
  for (const dir of templateDirs) {
    const file = path.resolve(dir, name);
    // Like Django's safe_join: a name such as "../server.ts" must not leave the folder.
    if (!file.startsWith(dir + path.sep)) continue;
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  }
  throw new TemplateDoesNotExist(`${name} is in none of the template folders (${templateDirs.join(', ') || 'none set: call setTemplateDirs'}).`);
}
