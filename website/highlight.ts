// Code colours at build time, with Shiki (the TextMate grammars VS Code uses):
// no script runs in the page to colour it. Each distinct pair of colours (light
// theme, dark theme) becomes a class, so the pages need no inline styles and
// the site's Content-Security-Policy can stay strict.
import { createHighlighter, type BundledLanguage, type Highlighter } from 'shiki';

const aliases: Record<string, BundledLanguage> = {
  ts: 'typescript',
  typescript: 'typescript',
  js: 'javascript',
  javascript: 'javascript',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  console: 'shellscript',
  http: 'http',
  python: 'python',
  py: 'python',
  json: 'json',
  html: 'html',
};

const themes = { light: 'github-light', dark: 'github-dark' } as const;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export class CodeColours {
  private readonly classes = new Map<string, string>();

  private constructor(private readonly shiki: Highlighter) {}

  static async load(): Promise<CodeColours> {
    const shiki = await createHighlighter({ themes: Object.values(themes), langs: [...new Set(Object.values(aliases))] });
    return new CodeColours(shiki);
  }

  /** Whether a fence's language is coloured. */
  knows(language: string): boolean {
    return language in aliases;
  }

  /** The code as HTML spans with `tok-N` classes (escaped text when the language is unknown). */
  highlight(code: string, language: string): string {
    const lang = aliases[language];
    if (!lang) return escapeHtml(code);
    const { tokens } = this.shiki.codeToTokens(code.replace(/\n$/, ''), { lang, themes });
    return tokens
      .map((line) =>
        line
          .map((token) => {
            const style = token.htmlStyle ?? {};
            const key = `${style.color ?? ''}|${style['--shiki-dark'] ?? ''}|${style['font-style'] ?? ''}`;
            return `<span class="${this.classFor(key)}">${escapeHtml(token.content)}</span>`;
          })
          .join(''),
      )
      .join('\n');
  }

  /** The stylesheet for every class handed out so far, light first, then dark. */
  css(): string {
    const light: string[] = [];
    const dark: string[] = [];
    for (const [key, name] of this.classes) {
      const [color, darkColor, fontStyle] = key.split('|');
      const italic = fontStyle === 'italic' ? ' font-style: italic;' : '';
      light.push(`.${name} { color: ${color};${italic} }`);
      if (darkColor) dark.push(`  .${name} { color: ${darkColor}; }`);
    }
    return `/* Made by \`npm run site\` from Shiki's ${themes.light} and ${themes.dark} themes. */\n${light.join('\n')}\n@media (prefers-color-scheme: dark) {\n${dark.join('\n')}\n}\n`;
  }

  private classFor(key: string): string {
    let name = this.classes.get(key);
    if (!name) {
      name = `tok-${this.classes.size + 1}`;
      this.classes.set(key, name);
    }
    return name;
  }
}
