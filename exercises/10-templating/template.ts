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

// TODO: Split the source into tokens: text, {{ variable }} and {% tag %}, with
// what is inside the braces trimmed, and the line each token starts on.
// A {# comment #} leaves no token. Like Django's, no tag spans a line break.
// 'Hi {{ name }}!{# a note #}' -> text 'Hi ', variable 'name', text '!'
export function tokenize(source: string): Token[] {
  throw new Error('TODO: split the source into text, variable and tag tokens (tokenize in template.ts)');
}

// TODO: Build the tree of nodes from the tokens: {% if x %}…{% else %}…{% endif %},
// {% for x in xs %}…{% empty %}…{% endfor %}, {% block name %}…{% endblock %},
// and note the name in {% extends "base.html" %}. When the tokens run out while
// a tag is still open, throw a TemplateSyntaxError that names the tag, its line,
// and the end tag it was looking for. An unknown tag is a TemplateSyntaxError too.
// parse(tokenize('{% if user %}Hi{% else %}Who?{% endif %}'))
//   -> { nodes: [{ type: 'if', condition: user, then: [text 'Hi'], else: [text 'Who?'] }] }
export function parse(tokens: Token[]): Template {
  throw new Error('TODO: build the tree of nodes from the tokens (parse in template.ts)');
}

// TODO: Read what is inside {{ }} (or after if, or after "in"): a value, then
// |filter or |filter:argument. A value or an argument is a "quoted" or 'quoted'
// literal (trusted: markSafe it), a number, or a dotted name to look up.
// An unknown filter is a TemplateSyntaxError.
// 'tags|join:", "|upper' -> { value: { lookup: ['tags'] }, filters: [join with ", ", upper] }
function parseExpression(text: string, line: number): Expression {
  throw new Error('TODO: read a value and its filters (parseExpression in template.ts)');
}

// TODO: Render the nodes to HTML. Text as it is; a variable looked up dot by dot
// (anything missing is undefined, never an error), through its filters, then
// conditionalEscape'd; if by isTruthy; a for loop's body once per item with the
// item in the context, or its empty part; a block from `blocks` when a child
// template gave one, else its own body.
// renderNodes(parse(tokenize('{{ user.name|upper }}')).nodes, { user: { name: 'Ada' } }, {}) -> 'ADA'
function renderNodes(nodes: Node[], context: Context, blocks: Blocks): string {
  throw new Error('TODO: render the nodes with the context (renderNodes in template.ts)');
}

// TODO: Render a template's source. A template that extends another renders as
// its parent (loadTemplate gives you its source), with the child's blocks in
// place of the parent's blocks of the same name.
// renderTemplate('Hi {{ name|upper }}!', { name: 'Ada' }) -> 'Hi ADA!'
export function renderTemplate(source: string, context: Context = {}): string {
  throw new Error('TODO: render a template, filling its parent if it extends one (renderTemplate in template.ts)');
}

// render('greet.html', { user: { name: 'Ada' } }) -> the page, inside base.html if it extends it
export function render(name: string, context: Context = {}): string {
  return renderTemplate(loadTemplate(name), context);
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
