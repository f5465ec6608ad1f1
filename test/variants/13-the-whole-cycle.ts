import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'trims with a regular expression, counts with Array.from, and redirects to an absolute URL',
    edits: [
      { file: 'views.ts', find: 'const length = (text: string) => [...text].length;', replace: 'const length = (text: string) => Array.from(text).length;' },
      {
        file: 'views.ts',
        find: "  const form: EntryForm = { name: (fields.get('name') ?? '').trim(), message: (fields.get('message') ?? '').trim() };",
        replace: "  const clean = (field: string) => (fields.get(field) ?? '').replace(/^\\s+|\\s+$/g, '');\n  const form: EntryForm = { name: clean('name'), message: clean('message') };",
      },
      { file: 'views.ts', find: "return Response.redirect('/', 303);", replace: "return Response.redirect(`http://${request.headers.get('host') ?? 'localhost'}/`, 303);" },
    ],
  },
  {
    name: 'lists the entries as articles sorted by id, with other markup and another empty text',
    edits: [
      { file: 'views.ts', find: 'const entries: Entry[] = guestbook.all().reverse();', replace: 'const entries: Entry[] = guestbook.all().sort((a, b) => b.id - a.id);' },
      {
        file: 'templates/guestbook.html',
        find: /<ol class="entries">[\s\S]*<\/ol>/,
        replace:
          '<section class="entries">\n{% for entry in entries %}\n<article class="entry">\n  <blockquote>{{ entry.message }}</blockquote>\n  <footer>— {{ entry.name }} <time>{{ entry.written }}</time></footer>\n</article>\n{% empty %}\n<p class="empty">No entries yet.</p>\n{% endfor %}\n</section>',
      },
    ],
  },
  {
    name: 'counts code points with a Unicode regular expression',
    edits: [{ file: 'views.ts', find: 'const length = (text: string) => [...text].length;', replace: 'const length = (text: string) => text.match(/./gsu)?.length ?? 0;' }],
  },
] satisfies Variant[];
