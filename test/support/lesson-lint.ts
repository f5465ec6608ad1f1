// The lesson lint: what a lesson's text points at must exist, and its
// TypeScript must compile. Used by test/lint.test.ts; the rules are described
// for contributors in CONTRIBUTING.md ("The lesson lint").
import fs from 'node:fs';
import path from 'node:path';
import { Marked, type Token, type Tokens } from 'marked';
import type * as TS from 'typescript';
import { ts } from './typescript.ts';
import type { Lesson } from '../../grader/engine/lessons.ts';
import { Slugger, plainText } from '../../website/slug.ts';

export interface Problem {
  /** "lessons/06-middleware.md:120" */
  where: string;
  message: string;
}

// ---------------------------------------------------------------------------
// Fenced code blocks

export interface CodeBlock {
  /** The info string's first word: "ts", "sh", "text", … ("" when there is none). */
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** A `<!-- lint: skip -->` comment stands right before the block. */
  skip: boolean;
}

const typeScriptLangs = new Set(['ts', 'typescript', 'mts']);

export function fencedBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3}|\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '```', lang = ''] = open;
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]!); j++) {
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!.trimStart());
    }
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    blocks.push({
      lang: lang.toLowerCase(),
      line: i + 1,
      code: body.join('\n'),
      skip: before >= 0 && /^\s*<!--\s*lint:\s*skip\b/.test(lines[before]!),
    });
    i = j;
  }
  return blocks;
}

export function typeScriptBlocks(markdown: string): CodeBlock[] {
  return fencedBlocks(markdown).filter((b) => typeScriptLangs.has(b.lang));
}

// ---------------------------------------------------------------------------
// Links and file references

/** The folders a lesson may name in backticks: `exercises/06-middleware/compose.ts`. */
const workbookFolders = ['lessons', 'exercises', 'solutions', 'grader', 'provided', 'test'];
const fileReference = new RegExp(`^#?(?:${workbookFolders.join('|')})/[\\w.@/-]*$`);
/** Not a file but a pattern: exercises/NN-slug/, .roundtrip/backups/<lesson>/ … */
const placeholder = /NN|<|>|\*|…|\{|\}/;

/** The anchors of a Markdown file's headings, as GitHub makes them. */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new Slugger();
  const anchors = new Set<string>();
  for (const token of new Marked().lexer(markdown)) {
    if (token.type === 'heading') anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
  }
  return anchors;
}

/**
 * Every relative Markdown link (and its #anchor) and every file named in
 * backticks must exist. `root` is the repository: where `exercises/…` is found.
 */
export function checkReferences(file: string, root: string): Problem[] {
  const markdown = fs.readFileSync(file, 'utf8');
  const problems: Problem[] = [];
  const shown = path.relative(root, file).split(path.sep).join('/');
  let cursor = 0;
  const lineOf = (raw: string) => {
    const at = markdown.indexOf(raw, cursor);
    if (at === -1) return markdown.slice(0, cursor).split('\n').length;
    cursor = at;
    return markdown.slice(0, at).split('\n').length;
  };
  const report = (raw: string, message: string) => problems.push({ where: `${shown}:${lineOf(raw)}`, message });
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (target: string) => {
    if (!anchorsOf.has(target)) anchorsOf.set(target, headingAnchors(fs.readFileSync(target, 'utf8')));
    return anchorsOf.get(target)!;
  };

  const walk = (tokens: Token[], topLevel = false) => {
    for (const token of tokens) {
      // Blocks come in order: keep the line count in step, so a code span is
      // not mistaken for the same text in an earlier code block.
      if (topLevel && token.raw) lineOf(token.raw);
      if (token.type === 'link' || token.type === 'image') {
        const { href, raw } = token as Tokens.Link | Tokens.Image;
        checkLink(href, raw);
      } else if (token.type === 'codespan') {
        const text = (token as Tokens.Codespan).text.trim().replace(/:\d+(?::\d+)?$/, '');
        if (fileReference.test(text) && !placeholder.test(text)) {
          const relative = text.replace(/^#provided\//, 'provided/');
          if (!fs.existsSync(path.join(root, relative))) report(token.raw, `\`${text}\` names a file that does not exist.`);
        } else {
          lineOf(token.raw);
        }
      }
      if ('tokens' in token && Array.isArray(token.tokens)) walk(token.tokens as Token[]);
      if (token.type === 'list') walk((token as Tokens.List).items);
      if (token.type === 'table') {
        const table = token as Tokens.Table;
        for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens);
      }
    }
  };
  const checkLink = (href: string, raw: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return lineOf(raw);
    const [target = '', anchor] = href.split('#', 2) as [string, string | undefined];
    const resolved = target ? path.resolve(path.dirname(file), decodeURI(target.split('?')[0]!)) : file;
    if (!fs.existsSync(resolved)) return report(raw, `The link to "${href}" points at ${path.relative(root, resolved)}, which does not exist.`);
    if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(decodeURIComponent(anchor))) {
      return report(raw, `The link to "${href}" names a heading that ${target ? path.basename(resolved) : 'this lesson'} does not have.`);
    }
    return lineOf(raw);
  };
  walk(new Marked().lexer(markdown), true);
  return problems;
}

// ---------------------------------------------------------------------------
// TypeScript blocks

/**
 * Type-checks every ```ts block of the lessons with the project's compiler
 * options. Each block is a module of its own in `.roundtrip/lint/<lesson>/`,
 * next to a copy of the lesson's solution, so that:
 *
 * - a name the block uses but does not declare is taken from the lesson's
 *   solution files (exported or not, or imported there), then from provided/:
 *   a block may show `compose(...)` or `Response.text(...)` without imports;
 * - a block of example calls only (`parse('GET / HTTP/1.1') // -> …`) may use a
 *   variable the text introduced in words (`parser.next()`); such a name is
 *   taken as `any`, and the rest of the block is still checked;
 * - a function signature without a body is read as a declaration;
 * - a block right after `<!-- lint: skip -->` is not checked.
 */
export function typeCheckLessons(lessons: Lesson[], options: { repository: string; workDir: string }): Problem[] {
  const { repository, workDir } = options;
  fs.rmSync(workDir, { recursive: true, force: true });
  const config = ts.getParsedCommandLineOfConfigFile(path.join(repository, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error('Could not read tsconfig.json.');
  const compilerOptions = { ...config.options, noEmit: true };

  const providedScope = moduleScope(path.join(repository, 'provided'), { exportedOnly: true });
  // Every solution is copied, side by side as in solutions/, so that one
  // lesson's relative imports of another (the last lesson's) still resolve.
  const scopes = new Map<string, Map<string, Binding>>();
  for (const solutions of new Set(lessons.map((l) => path.dirname(l.solutionDir)))) {
    if (!fs.existsSync(solutions)) continue;
    for (const entry of fs.readdirSync(solutions, { withFileTypes: true })) {
      if (entry.isDirectory()) scopes.set(entry.name, copyWithEverythingExported(path.join(solutions, entry.name), path.join(workDir, entry.name)));
    }
  }
  const blocks: BlockFile[] = [];
  for (const lesson of lessons) {
    const found = typeScriptBlocks(fs.readFileSync(lesson.lessonFile, 'utf8')).filter((b) => !b.skip);
    if (!found.length) continue;
    const dir = path.join(workDir, lesson.id);
    const scope = (fs.existsSync(lesson.solutionDir) && scopes.get(path.basename(lesson.solutionDir))) || new Map<string, Binding>();
    fs.mkdirSync(dir, { recursive: true });
    for (const block of found) {
      blocks.push(writeBlock(block, lesson, dir, [scope, providedScope], repository));
    }
  }
  if (!blocks.length) return [];

  const host = cachingHost(compilerOptions);
  let program = ts.createProgram(blocks.map((b) => b.file), compilerOptions, host);
  // Example-call blocks: names nobody declares are taken as given, then checked again.
  let again = false;
  for (const block of blocks) {
    if (!block.examples) continue;
    const unknown = new Set(
      diagnosticsOf(program, block)
        .filter((d) => d.code === 2304 || d.code === 2552)
        .map((d) => /'([^']+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, '\n'))?.[1])
        .filter((name): name is string => !!name),
    );
    if (!unknown.size) continue;
    block.prelude.push(...[...unknown].map((name) => `declare const ${name}: any;`));
    writeBlockFile(block);
    again = true;
  }
  if (again) program = ts.createProgram(blocks.map((b) => b.file), compilerOptions, host, program);

  return blocks.flatMap((block) =>
    diagnosticsOf(program, block).map((d) => {
      const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
      const inBlock = Math.max(0, line - block.prelude.length);
      return {
        where: `${block.lessonPath}:${block.fenceLine + 1 + inBlock}`,
        message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')} (in the \`\`\`ts block at line ${block.fenceLine})`,
      };
    }),
  );
}

/** TypeScript's own lib files and node_modules don't change during a run: parse them once (per worker, for every test file in it). */
const parsedOnce = new Map<string, TS.SourceFile>();

export function cachingHost(options: TS.CompilerOptions): TS.CompilerHost {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.includes(`${path.sep}node_modules${path.sep}`)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    let source = parsedOnce.get(fileName);
    if (!source) {
      source = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (source) parsedOnce.set(fileName, source);
    }
    return source;
  };
  return host;
}

interface Binding {
  /** The import that brings the name into a block's scope. */
  importLine: string;
}

interface BlockFile {
  file: string;
  lessonPath: string;
  fenceLine: number;
  prelude: string[];
  body: string;
  /** Only expression statements: example calls. */
  examples: boolean;
}

function diagnosticsOf(program: TS.Program, block: BlockFile): readonly TS.Diagnostic[] {
  const source = program.getSourceFile(block.file);
  if (!source) return [];
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
}

function writeBlockFile(block: BlockFile): void {
  fs.writeFileSync(block.file, [...block.prelude, block.body, ''].join('\n'));
}

function writeBlock(block: CodeBlock, lesson: Lesson, dir: string, scopes: Map<string, Binding>[], repository: string): BlockFile {
  const source = ts.createSourceFile('block.ts', block.code, ts.ScriptTarget.Latest, true);
  const declared = topLevelNames(source);
  const used = new Set<string>();
  const visit = (node: TS.Node) => {
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);

  const imports = new Set<string>();
  for (const name of used) {
    if (declared.has(name)) continue;
    const binding = scopes.map((s) => s.get(name)).find(Boolean);
    if (binding) imports.add(binding.importLine);
  }
  const file: BlockFile = {
    file: path.join(dir, `block-line-${block.line}.ts`),
    lessonPath: path.relative(repository, lesson.lessonFile).split(path.sep).join('/'),
    fenceLine: block.line,
    // One line per import, so a diagnostic's line maps back to the lesson.
    prelude: ['export {};', ...imports],
    body: declareBodilessFunctions(source, block.code),
    examples: source.statements.length > 0 && source.statements.every((s) => ts.isExpressionStatement(s)),
  };
  writeBlockFile(file);
  return file;
}

/** `function parse(text: string): Request` alone is a signature: read it as `declare function`. */
function declareBodilessFunctions(source: TS.SourceFile, code: string): string {
  const starts = source.statements
    .filter((s): s is TS.FunctionDeclaration => ts.isFunctionDeclaration(s) && !s.body)
    .map((s) => (s.modifiers?.length ? s.modifiers.at(-1)!.end + 1 : s.getStart(source)))
    .sort((a, b) => b - a);
  let out = code;
  for (const at of starts) out = `${out.slice(0, at)}declare ${out.slice(at)}`;
  return out;
}

/** Names declared (or imported) at the top level of a module. */
function topLevelNames(source: TS.SourceFile): Set<string> {
  return namesDeclaredBy(source.statements);
}

function namesDeclaredBy(statements: readonly TS.Statement[]): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: TS.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) for (const d of statement.declarationList.declarations) addBinding(d.name);
    else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) &&
      statement.name && ts.isIdentifier(statement.name)
    ) {
      names.add(statement.name.text);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
    }
  }
  return names;
}

function hasModifier(node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

const typeOnlyKinds = (s: TS.Statement) => ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s);

/**
 * The names a module offers a block: its declarations (with `exportedOnly`,
 * only exported ones) and, for a solution, the names it imports.
 */
function moduleScope(dir: string, options: { exportedOnly: boolean; importFrom?: (file: string) => string }): Map<string, Binding> {
  const scope = new Map<string, Binding>();
  if (!fs.existsSync(dir)) return scope;
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).sort();
  const imported = new Map<string, Binding>();
  for (const name of files) {
    const file = path.join(dir, name);
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const specifier = options.importFrom?.(name) ?? `#provided/${name.split(path.sep).join('/')}`;
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement) && statement.importClause && !options.exportedOnly) {
        collectImport(statement, imported, name);
        continue;
      }
      if (options.exportedOnly && !hasModifier(statement, ts.SyntaxKind.ExportKeyword)) continue;
      const typeOnly = typeOnlyKinds(statement);
      for (const declared of namesDeclaredBy([statement])) {
        if (scope.has(declared)) continue;
        scope.set(declared, { importLine: `import ${typeOnly ? 'type ' : ''}{ ${declared} } from '${specifier}';` });
      }
    }
  }
  // A name declared in a file wins over one that a file imports.
  for (const [name, binding] of imported) if (!scope.has(name)) scope.set(name, binding);
  return scope;
}

function collectImport(statement: TS.ImportDeclaration, into: Map<string, Binding>, fromFile: string): void {
  const clause = statement.importClause!;
  let from = (statement.moduleSpecifier as TS.StringLiteral).text;
  // Relative imports stay valid: blocks sit in the folder the solution is copied to.
  if (from.startsWith('.')) from = path.posix.join(path.posix.dirname(fromFile.split(path.sep).join('/')), from).replace(/^(?!\.)/, './');
  const typeOnly = clause.isTypeOnly ? 'type ' : '';
  if (clause.name) into.set(clause.name.text, { importLine: `import ${typeOnly}${clause.name.text} from '${from}';` });
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    into.set(bindings.name.text, { importLine: `import ${typeOnly}* as ${bindings.name.text} from '${from}';` });
  }
  if (bindings && ts.isNamedImports(bindings)) {
    for (const element of bindings.elements) {
      const original = element.propertyName ? `${element.propertyName.text} as ` : '';
      const type = typeOnly || (element.isTypeOnly ? 'type ' : '');
      into.set(element.name.text, { importLine: `import ${type}{ ${original}${element.name.text} } from '${from}';` });
    }
  }
}

/**
 * Copies a solution folder with every top-level declaration exported, so a
 * block can use `home` or `blogPatterns` from lesson 08's server.ts. Returns
 * the names the copy offers.
 */
function copyWithEverythingExported(from: string, to: string): Map<string, Binding> {
  fs.cpSync(from, to, { recursive: true });
  for (const name of fs.readdirSync(to, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const file = path.join(to, name);
    const text = fs.readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const exportedByList = new Set(
      source.statements
        .filter((s): s is TS.ExportDeclaration => ts.isExportDeclaration(s) && !s.moduleSpecifier && !!s.exportClause && ts.isNamedExports(s.exportClause))
        .flatMap((s) => (s.exportClause as TS.NamedExports).elements.map((e) => (e.propertyName ?? e.name).text)),
    );
    const starts = source.statements
      .filter((s) => {
        const declaration = ts.isVariableStatement(s) || ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) ||
          ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s);
        if (!declaration || hasModifier(s, ts.SyntaxKind.ExportKeyword) || hasModifier(s, ts.SyntaxKind.DeclareKeyword)) return false;
        return ![...namesDeclaredBy([s])].some((n) => exportedByList.has(n));
      })
      .map((s) => s.getStart(source))
      .sort((a, b) => b - a);
    let out = text;
    for (const at of starts) out = `${out.slice(0, at)}export ${out.slice(at)}`;
    fs.writeFileSync(file, out);
  }
  return moduleScope(to, { exportedOnly: false, importFrom: (name) => `./${name.split(path.sep).join('/')}` });
}
