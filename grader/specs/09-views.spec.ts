// Lesson 09: views turn a Request into a Response of the right kind: HTML pages
// (escaped), JSON, CSV, a file download, a redirect after POST, and custom 404
// and 500 pages. Titles, ids, bytes and secrets are random, so only real views pass.
import { createHash } from 'node:crypto';
import { firstBooks } from '../../provided/fixtures/09-views.ts';
import {
  allowedMethods,
  type Check,
  decodeHtml,
  gradeLesson,
  header,
  type Received,
  redirectTarget,
  stackTraceOrSource,
} from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

/** The five books books.ts starts with, ids 1 to 5. */
const seed = firstBooks.map((book, index) => ({ id: index + 1, ...book }));
type Book = (typeof seed)[number];

const anySeedBook = (): Book => seed[random.int(0, seed.length - 1)]!;
const token = () => random.hex(4);
/**
 * A media type with a UTF-8 charset (RFC 9110, section 8.3.1): the type and the parameter
 * names in any case, parameters in any order (RFC 4180's header=present too), and the
 * charset's value in any case, quoted or not: charset=utf-8 and charset="UTF-8" are the same.
 */
function utf8Type(type: string): RegExp {
  const token = "[!#$%&'*+.^_`|~0-9a-z-]+";
  const param = `\\s*;\\s*${token}=(?:${token}|"[^"]*")`;
  return new RegExp(`^${type.replace('/', '\\/')}(?=(?:${param})*\\s*;\\s*charset=(?:utf-8|"utf-8")\\s*(?:;|$))(?:${param})*\\s*$`, 'i');
}

/** Content-Type must be `type` with charset=utf-8 (see utf8Type). */
function expectUtf8Type(t: Check, response: Received, type: string, hint: string): void {
  const value = header(response, 'Content-Type');
  t.check(value !== undefined && utf8Type(type).test(value), {
    summary: value === undefined ? 'The response has no Content-Type header.' : 'The Content-Type header is not right.',
    expected: `Content-Type: ${type}; charset=utf-8 (or charset="UTF-8", and other parameters beside it)`,
    received: value === undefined ? '(no such header)' : `Content-Type: ${value}`,
    hint,
  });
}
const listMethods = ['GET', 'HEAD', 'OPTIONS', 'POST'];
// Two different books for the two PDF behaviours, so the first upload of each is new.
const [pdfBook, downloadBook] = [...seed].sort(() => random.next() - 0.5) as [Book, Book];
/** A book nobody uploads a PDF for, and one whose first PDF comes after pdfBook's. */
const [withoutPdf, laterPdfBook] = seed.filter((book) => book !== pdfBook && book !== downloadBook) as [Book, Book];


function form(fields: Record<string, string>) {
  return { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}


/** POSTs a new book and follows nothing: returns its id from the 303's Location. */
async function createBook(t: Check, fields: { title: string; author: string; year: string }): Promise<number> {
  const response = await t.request({ method: 'POST', path: '/books/', ...form(fields), trace: true });
  const location = header(response, 'Location');
  // Resolved against /books/, as a browser does: "7/" there is /books/7/ too.
  const id = redirectTarget(response, '/books/')?.pathname.match(/^\/books\/(\d+)\/$/)?.[1];
  if (response.status !== 303 || !id) {
    t.fail({
      summary: 'Adding a book with a form POST to /books/ did not answer 303 with the new book\'s URL, so this check cannot go on.',
      expected: '303 See Other, Location: /books/<id>/',
      received: `${response.statusLine}${location ? `, Location: ${location}` : ', no Location header'}`,
      hint: 'Get "creates a book from a form POST and answers 303 See Other with its URL" to pass first.',
    });
  }
  return Number(id);
}

interface Csv {
  records: string[][];
  problem?: string;
  /** The row the problem is in, as sent. */
  rowText?: string;
}

/** A strict RFC 4180 reader: rows end in CRLF; a field with a comma, a quote or a line break is quoted. */
function parseCsv(text: string): Csv {
  const records: string[][] = [];
  let record: string[] = [];
  let row = 1;
  let rowStart = 0;
  let i = 0;
  const fail = (problem: string): Csv => {
    const end = text.indexOf('\n', i);
    return { records, problem: `Row ${row} of the CSV: ${problem}`, rowText: text.slice(rowStart, end === -1 ? undefined : end + 1) };
  };
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return fail('a quoted field never ends: its closing quote is missing.');
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break;
          field += '"';
          i += 2;
        } else {
          field += text[i++];
        }
      }
      i++;
      if (i < text.length && !',\r\n'.includes(text[i]!)) {
        return fail(`a quoted field is followed by ${JSON.stringify(text[i])}, not by a comma or the end of the row. Is a quote inside it not doubled?`);
      }
    } else {
      while (i < text.length && !',\r\n'.includes(text[i]!)) {
        if (text[i] === '"') return fail('a field holds a quote but does not start with one. It must be quoted, and the quote doubled.');
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      if (i === text.length) record.push('');
      continue;
    }
    if (i < text.length) {
      if (text[i] === '\n') return fail('it ends with a bare LF (\\n) instead of CRLF (\\r\\n).');
      if (text[i + 1] !== '\n') return fail('it ends with a CR (\\r) that no LF follows.');
      i += 2;
    }
    records.push(record);
    record = [];
    row++;
    rowStart = i;
  }
  return { records };
}

const csvHint = 'RFC 4180: end every row with "\\r\\n"; put a field in double quotes when it holds a comma, a quote, CR or LF, and double each quote inside it.';

async function exportCsv(t: Check): Promise<{ response: Received; csv: Csv }> {
  const response = await t.request({ path: '/books/export.csv', trace: true });
  t.expectStatus(response, 200, 'GET /books/export.csv is exportCsv in views.ts.');
  // A UTF-8 byte order mark before the header row is no part of the text: a UTF-8 decoder drops it (WHATWG Encoding), and Excel wants it.
  return { response, csv: parseCsv(response.text.replace(/^\uFEFF/, '')) };
}

function expectCsvReadable(t: Check, csv: Csv): void {
  if (csv.problem) t.fail({ summary: csv.problem, received: JSON.stringify(csv.rowText), hint: csvHint });
}

function expectRow(t: Check, csv: Csv, book: { id: number; title: string; author: string; year: number | string }): void {
  const expected = [String(book.id), book.title, book.author, String(book.year)];
  const found = csv.records.find((r) => r[0] === expected[0]);
  t.check(JSON.stringify(found) === JSON.stringify(expected), {
    summary: found ? `The CSV row of book ${book.id} does not read back as its four fields.` : `The CSV has no row for book ${book.id}.`,
    expected: JSON.stringify(expected),
    received: found ? JSON.stringify(found) : JSON.stringify(csv.records.map((r) => r[0])) + ' (the first field of each row)',
    hint: csvHint,
  });
}

/**
 * Content-Disposition must be an attachment named `filename` (RFC 6266): the type
 * in any case, then parameters in any order, filename quoted or not; a filename*
 * beside it, or alone, is fine (RFC 6266, section 4.3), as long as it names the same file.
 */
function expectAttachment(t: Check, response: Received, filename: string, hint: string): void {
  const value = header(response, 'Content-Disposition') ?? '';
  const [type = '', ...parts] = value.split(';').map((part) => part.trim());
  const params = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  const plain = params.get('filename')?.replace(/^"(.*)"$/, '$1');
  const extended = params.get('filename*');
  let decoded: string | undefined;
  try {
    decoded = extended === undefined ? undefined : decodeURIComponent(extended.replace(/^utf-8'[^']*'/i, ''));
  } catch {
    decoded = '(not valid percent-encoding)';
  }
  const named = plain !== undefined || decoded !== undefined;
  t.check(type.toLowerCase() === 'attachment' && named && (plain === undefined || plain === filename) && (decoded === undefined || decoded === filename), {
    summary: value ? 'The Content-Disposition header is not right.' : 'The response has no Content-Disposition header.',
    expected: `Content-Disposition: attachment; filename="${filename}"`,
    received: value ? `Content-Disposition: ${value}` : '(no Content-Disposition header)',
    hint,
  });
}

/**
 * The paths the page's links lead to: every <a href>, quoted or not, resolved
 * against the page's own URL as a browser would (absolute, root-relative or relative).
 */
function linkedPaths(html: string, pagePath: string): string[] {
  const pattern = /<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;
  return [...html.matchAll(pattern)].flatMap((match) => {
    try {
      return [new URL(decodeHtml((match[1] ?? match[2] ?? match[3]!).trim()), `http://localhost${pagePath}`).pathname];
    } catch {
      return [];
    }
  });
}

/** An <h1> (with any attributes) that reads `text`, in any case, with any white space around it and between its words (HTML collapses it). */
function heading(text: string): RegExp {
  return new RegExp(`<h1\\b[^>]*>\\s*${text.split(' ').join('\\s+')}\\s*</h1\\s*>`, 'i');
}

function expectHtmlPage(t: Check, response: Received, hint: string): void {
  expectUtf8Type(t, response, 'text/html', hint);
}

function expectShows(t: Check, response: Received, text: string, what: string, hint: string): void {
  t.check(decodeHtml(response.text).includes(text), {
    summary: `The page does not show ${what}.`,
    expected: `the text ${JSON.stringify(text)}, with & < > " ' written as &amp; &lt; &gt; &quot; &#39;`,
    received: JSON.stringify(response.text.slice(0, 300)) + (response.text.length > 300 ? '…' : ''),
    hint,
  });
}

const entities = 'with & < > " \' written as &amp; &lt; &gt; &quot; &#39; (or another character reference)';

/**
 * Every place the page shows `text` (found by the random marks it starts and ends with)
 * must hold it escaped: none of < > " ' raw, every & the start of a character
 * reference, and reading back as `text` once decoded (or as `readsAs` says it may).
 */
function expectEscaped(
  t: Check,
  response: Received,
  text: string,
  start: string,
  end: string,
  what: string,
  hint: string,
  readsAs: (shown: string, expected: string) => boolean = (shown, expected) => shown === expected,
): void {
  const pattern = new RegExp(`${start}([\\s\\S]*?)${end}`, 'g');
  const found = [...response.text.matchAll(pattern)].map((match) => match[1]!);
  const raw = found.find((inner) => /[<>"']|&(?!(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);)/i.test(inner));
  const wrong = found.find((inner) => !readsAs(decodeHtml(inner), text.slice(start.length, -end.length)));
  t.check(found.length > 0 && raw === undefined && wrong === undefined, {
    summary:
      found.length === 0
        ? `The page does not show ${what}.`
        : raw !== undefined
          ? `The page shows ${what} with characters left unescaped: & < > " ' must each become a character reference.`
          : `The page shows ${what}, but it does not read back as what was typed: is it escaped twice, or & escaped last?`,
    expected: `${JSON.stringify(text)}, ${entities}`,
    received: JSON.stringify(start + (raw ?? wrong ?? '') + end),
    hint,
  });
}

lesson.behaviour('lists the books on an HTML page at /books/', async (t) => {
  const response = await t.request({ path: '/books/', trace: true });
  t.expectStatus(response, 200, 'GET /books/ is BookListView.get in views.ts, called by dispatch() in class-views.ts.');
  expectHtmlPage(t, response, 'page() in shortcuts.ts answers with Response.html: "text/html; charset=utf-8".');
  for (const book of seed) {
    expectShows(t, response, book.title, `the title of book ${book.id}`, 'List every book from books.all(), its title passed through escapeHtml.');
    t.check(linkedPaths(response.text, '/books/').includes(`/books/${book.id}/`), {
      summary: `The list has no link to book ${book.id}'s page.`,
      expected: `<a href="/books/${book.id}/">…</a>`,
      hint: "Build each link with reverseUrl('book-detail', { id: book.id }).",
    });
  }
  // Nothing was added in between: a second look lists the same books, once each, not the first list again on top.
  // In any order: the lesson does not fix one, so a list that starts somewhere else each time is still the same list.
  const again = await t.request({ path: '/books/', trace: true });
  t.expectStatus(again, 200, 'GET /books/ answered once, and should answer again the same way.');
  const [before, after] = [linkedPaths(response.text, '/books/').sort(), linkedPaths(again.text, '/books/').sort()];
  t.check(JSON.stringify(after) === JSON.stringify(before), {
    summary: 'A second GET /books/, with no book added in between, links to other pages than the first: is the list kept between requests and added to?',
    expected: `the same links as the first time, in any order: ${JSON.stringify(before)}`,
    received: JSON.stringify(after),
    hint: 'Build the list inside get(), from books.all(), on every request: an array kept outside the view keeps the last request\'s items too.',
  });
});

lesson.behaviour('shows one book on an HTML page', async (t) => {
  const book = anySeedBook();
  const response = await t.request({ path: `/books/${book.id}/`, trace: true });
  t.expectStatus(response, 200, 'GET /books/<id>/ is bookDetail in views.ts; request.params.id holds the id.');
  expectHtmlPage(t, response, 'Answer with page(), which sets "text/html; charset=utf-8".');
  const hint = 'Show the title, the author and the year of books.get(id), escaped.';
  expectShows(t, response, book.title, 'the title', hint);
  expectShows(t, response, book.author, 'the author', hint);
  expectShows(t, response, String(book.year), 'the year', hint);
});

lesson.behaviour('answers one book as JSON', async (t) => {
  // Every book, not one drawn at random: "HTML & CSS" and the quotes of book 3 must come back as they are.
  for (const book of seed) {
    const response = await t.request({ path: `/api/books/${book.id}/`, trace: true });
    t.expectStatus(response, 200, 'GET /api/books/<id>/ is bookJson in views.ts.');
    t.expectHeader(response, 'Content-Type', /^application\/json\b/i, 'Response.json(value) sets "application/json".');
    const value = t.expectJson<Record<string, unknown> | undefined>(response, { hint: 'Let Response.json() write the JSON.' });
    const fields = { id: value?.id, title: value?.title, author: value?.author, year: value?.year };
    t.check(JSON.stringify(fields) === JSON.stringify(book), {
      summary: `The JSON does not describe book ${book.id}.`,
      expected: JSON.stringify(book),
      received: response.text.slice(0, 300),
      hint: /[&<>"']/.test(book.title) && typeof value?.title === 'string' && value.title.includes('&')
        ? 'JSON is not HTML: put the title and the author in as they are (no escapeHtml); Response.json() writes what JSON needs.'
        : 'Answer { id, title, author, year } of the book, with id and year as numbers.',
    });
  }
  const added = { title: `Added ${token()}`, author: 'Grace Hopper', year: random.int(1000, 2024) };
  const id = await createBook(t, { ...added, year: String(added.year) });
  const fresh = await t.request({ path: `/api/books/${id}/`, trace: true });
  t.expectStatus(fresh, 200, 'A book added with the form is served as JSON too.');
  const json = t.expectJson<Record<string, unknown> | undefined>(fresh, { hint: 'Let Response.json() write the JSON.' });
  t.check(json?.year === added.year && json?.id === id, {
    summary: 'A book added with the form has the wrong id or year in its JSON: the year must be stored as a number.',
    expected: JSON.stringify({ id, ...added }),
    received: fresh.text.slice(0, 300),
    hint: 'The form sends the year as text: turn it into a number (Number(year)) before books.create().',
  });
});

lesson.behaviour('creates a book from a form POST and answers 303 See Other with its URL', async (t) => {
  // Two books, one after the other: each gets its own new URL, never the one the lesson shows (/books/6/).
  const created: string[] = [];
  // The second form lists its fields in another order: a form is read by name, never by position.
  const forms = [
    { title: `A Book About ${token()}`, author: 'Ada Lovelace', year: '1843' },
    { year: '1843', author: 'Ada Lovelace', title: `Café Gödel ${token()}` },
  ];
  for (const fields of forms) {
    const { title } = fields;
    const response = await t.request({ method: 'POST', path: '/books/', ...form(fields), trace: true });
    t.expectStatus(
      response,
      303,
      created.length === 1 && response.status === 400
        ? `This form is valid: it sends year=1843, author and title, in that order. Read each field by its name (form.get('title')), never by its position in the form.`
        : 'After a successful POST, redirect with 303 See Other (Post/Redirect/Get): the browser then GETs the new page, and a reload does not post the form again.',
    );
    const location = header(response, 'Location') ?? '';
    // Resolved against /books/, as a browser does (RFC 9110, section 10.2.2): "/books/7/", "7/" and an absolute URL alike.
    const path = redirectTarget(response, '/books/')?.pathname ?? '';
    t.check(/^\/books\/\d+\/$/.test(path) && !created.includes(path), {
      summary: !location
        ? 'The 303 has no Location header.'
        : created.includes(path)
          ? `A second new book was sent to ${path} too, the first new book's page: each book has its own URL.`
          : "The Location header is not the new book's page.",
      expected: 'Location: /books/<the new id>/',
      received: location ? `Location: ${location}` : '(no Location header)',
      hint: "Build it with reverseUrl('book-detail', { id: book.id }), the id books.create() gave the new book, so it always matches the URLconf.",
    });
    created.push(path);
    const page = await t.request({ path, trace: true });
    t.expectStatus(page, 200, `The redirect points to ${path}, which must now show the new book.`);
    expectShows(t, page, title, "the new book's title", 'Create the book with books.create() before you redirect to it.');
  }
});

/** A refused form adds no book: none of `marks` (random words of the refused forms) may be on the list. */
async function expectNothingAdded(t: Check, marks: string[]): Promise<void> {
  const list = await t.request({ path: '/books/' });
  t.expectStatus(list, 200, 'GET /books/ must work first.');
  const shown = marks.filter((mark) => decodeHtml(list.text).includes(mark));
  t.check(shown.length === 0, {
    summary: 'A form that was refused with 400 still added a book: the list shows it.',
    expected: `no book with ${shown.map((mark) => JSON.stringify(mark)).join(' or ')} on /books/`,
    received: `/books/ shows ${shown.map((mark) => JSON.stringify(mark)).join(' and ')}`,
    hint: 'Check every field first, and call books.create() only when the whole form is valid.',
  });
}

lesson.behaviour('rejects a form without a title or an author with 400 Bad Request', async (t) => {
  // Random words in the refused forms, to look for them on the list afterwards.
  const rejected = { author: `Anonymous ${token()}`, title: `Untitled ${token()}` };
  const response = await t.request({ method: 'POST', path: '/books/', ...form({ author: rejected.author, year: '2001' }), trace: true });
  t.expectStatus(response, 400, "Check the fields before creating the book: throw new HttpError(400, '…') when title, author or year is missing.");
  const noAuthor = await t.request({ method: 'POST', path: '/books/', ...form({ title: rejected.title, year: '2001' }), trace: true });
  t.expectStatus(noAuthor, 400, 'A form without an author is refused too: 400.');
  // A browser sends an input left empty as "title=": the field is there, the title is not.
  const emptyTitle = await t.request({ method: 'POST', path: '/books/', ...form({ title: '', author: rejected.author, year: '2001' }), trace: true });
  t.expectStatus(emptyTitle, 400, 'An empty title is no title: check that the text is not empty, not only that the field is in the form.');
  const emptyAuthor = await t.request({ method: 'POST', path: '/books/', ...form({ title: rejected.title, author: '', year: '2001' }), trace: true });
  t.expectStatus(emptyAuthor, 400, 'An empty author is no author: check that the text is not empty, not only that the field is in the form.');
  await expectNothingAdded(t, [rejected.author, rejected.title]);
  // Not only 400: every HttpError but 404 goes on to the plumbing with its own status. A form one byte over
  // serve()'s limit of 1 MiB makes reading request.body throw HttpError(413).
  const tooLarge = await t.request({ method: 'POST', path: '/books/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.alloc(1024 * 1024 + 1, 'a'), trace: true });
  // A view that reads the body inside try/catch and refuses what it cannot read as a bad form (400) is right too.
  t.check(tooLarge.status === 413 || tooLarge.status === 400, {
    summary: `A form of 1 MiB and one byte was answered ${tooLarge.status}: reading request.body threw HttpError(413), which should go on with its own status.`,
    expected: '413 Content Too Large (or 400 Bad Request, from a view that refuses a form it cannot read)',
    received: tooLarge.statusLine,
    hint: 'In withErrorPages, throw on every HttpError that is not a 404, whatever its status (if (error instanceof HttpError) throw error), not only the 400s.',
  });
});

lesson.behaviour('rejects a form whose year is missing or not all digits with 400 Bad Request', async (t) => {
  const year = String(random.int(1000, 2024));
  const years: (string | undefined)[] = [undefined, '', '0x10', '1e3', ` ${year}`, `${year}.5`, `-${year}`, `${year}x`];
  const refused = `Year test ${token()}`;
  for (const value of years) {
    const fields: Record<string, string> = { title: refused, author: 'Ada Lovelace' };
    if (value !== undefined) fields.year = value;
    const response = await t.request({ method: 'POST', path: '/books/', ...form(fields), trace: true });
    t.check(response.status === 400, {
      summary:
        value === undefined
          ? 'A form without a year should be refused with 400.'
          : `The year ${JSON.stringify(value)} is not all digits, so the form should be refused with 400.`,
      expected: '400 Bad Request',
      received: response.statusLine,
      hint: 'Number() and parseInt() accept "", "0x10", "1e3" and " 2020": test the text itself, e.g. with /^\\d+$/, before you convert it.',
    });
  }
  await expectNothingAdded(t, [refused]);
  // All digits is a year, even with three of them: the rule refuses what is not digits, nothing more.
  const early = String(random.int(100, 999));
  // A leading zero is a digit too: "0868" is all digits.
  for (const year of [early, `0${random.int(100, 999)}`]) {
    const accepted = await t.request({ method: 'POST', path: '/books/', ...form({ title: `Early ${token()}`, author: 'Anonymous', year }), trace: true });
    t.check(accepted.status === 303, {
      summary: `The year ${JSON.stringify(year)} is all digits, so the form should create the book (303), not be refused.`,
      expected: '303 See Other',
      received: accepted.statusLine,
      hint: 'Refuse a year that is missing or not all digits; years such as 868 and 0868 are all digits. /^\\d+$/ says exactly that.',
    });
  }
});

lesson.behaviour('escapes what users typed on the list and the book pages', async (t) => {
  const mark = token();
  const [t1, t2, a1, a2] = [token(), token(), token(), token()];
  // Each of & < > " ' at least twice in each field: replace() without a g flag changes only the first.
  // The title's first special character comes after the author's last: a /g pattern tested before
  // escaping keeps its lastIndex from the title and finds nothing left to escape in the author.
  const title = `${t1} ${'Fish and chips, peas and more. '.repeat(2)}<script>alert("${mark}")</script> Fish &amp; Chips & Peas 'n' ${t2}`;
  const author = `${a1} <i>${mark}</i> O'Neill > "Sons" & co's & more ${a2}`;
  const id = await createBook(t, { title, author, year: '2020' });
  const hint =
    "Pass every piece of data through escapeHtml (shortcuts.ts): & < > \" ' become &amp; &lt; &gt; &quot; &#39;, & first. " +
    'A pattern with the g flag keeps its lastIndex from one test() to the next, even across texts: test with a pattern without g, or just replace.';
  for (const path of [`/books/${id}/`, '/books/']) {
    const response = await t.request({ path, trace: true });
    t.expectStatus(response, 200);
    t.check(!response.text.includes(`<script>alert("${mark}")`) && !response.text.includes(`<i>${mark}</i>`), {
      summary: `${path} puts what a user typed into the page as HTML: a <script> in a title would run in every visitor's browser.`,
      expected: `&lt;script&gt;alert(&quot;${mark}&quot;)&lt;/script&gt;`,
      received: `<script>alert("${mark}")</script>, as it was typed`,
      hint,
    });
    expectEscaped(t, response, title, t1, t2, `the title on ${path}`, hint);
    // The book's page shows the author; the list may show the titles alone (the lesson asks only for them), but
    // an author it shows is escaped too.
    if (path !== '/books/' || response.text.includes(a1)) expectEscaped(t, response, author, a1, a2, `the author on ${path}`, hint);
  }
});

lesson.behaviour('answers an unknown book with your HTML 404 page', async (t) => {
  const id = random.int(100_000, 999999);
  const response = await t.request({ path: `/books/${id}/`, trace: true });
  t.expectStatus(response, 404, 'getObjectOr404 throws HttpError 404 for a missing book; withErrorPages answers it with notFoundPage().');
  expectHtmlPage(t, response, 'notFoundPage() is an HTML page: build it with page().');
  t.expectBody(response, heading('Page not found'), 'The 404 page has the heading <h1>Page not found</h1>.');
});

lesson.behaviour('answers 404 for an unknown book in every view and for every method', async (t) => {
  const id = random.int(100_000, 999999);
  const hint = 'Look the book up with getObjectOr404(books, …) in every view that takes an id, before doing anything else.';
  const expect404 = async (method: string, path: string, options: { body?: Buffer; why?: string; page?: boolean } = {}) => {
    const response = await t.request({ method, path, trace: true, ...(options.body ? { body: options.body, headers: { 'content-type': 'application/pdf' } } : {}) });
    t.check(response.status === 404, {
      summary: `${method} ${path}: ${options.why ?? `there is no book ${id}, so this is 404 Not Found.`}`,
      expected: '404 Not Found',
      received: response.statusLine,
      hint,
    });
    // "No such thing" is your 404 page on every path (the JSON view may answer its own way): text/html,
    // and for GET its heading. HEAD gets the page's headers without its body.
    if (options.page === false) return;
    const pageHint = 'Throw HttpError(404, …) (getObjectOr404 does) rather than building a 404 response in the view: withErrorPages then answers every 404 with notFoundPage().';
    expectHtmlPage(t, response, pageHint);
    if (method === 'GET') t.expectBody(response, heading('Page not found'), pageHint);
  };
  await expect404('HEAD', `/books/${id}/`);
  await expect404('GET', `/api/books/${id}/`, { page: false });
  await expect404('PUT', `/books/${id}/pdf`, { body: random.bytes(64), why: `there is no book ${id} to attach a PDF to: 404, not 201.` });
  await expect404('GET', `/books/${id}/pdf`);
  await expect404('GET', `/books/${withoutPdf.id}/pdf`, { why: `book ${withoutPdf.id} exists, but nobody uploaded its PDF: 404.` });
});

lesson.behaviour('shows the requested path on the 404 page, escaped', async (t) => {
  const mark = token();
  const sent = `/shelf-${mark}/%3Cb%3E${mark}%3C/b%3E`;
  const response = await t.request({ path: sent, trace: true });
  t.expectStatus(response, 404, 'No route matches, so the router throws HttpError 404: withErrorPages answers it with notFoundPage().');
  expectHtmlPage(t, response, 'notFoundPage() is an HTML page: build it with page().');
  t.check(!response.text.includes(`<b>${mark}</b>`), {
    summary: 'The 404 page puts the path into the page as HTML: anyone could make a link that injects markup into your site.',
    expected: `&lt;b&gt;${mark}&lt;/b&gt;`,
    received: `<b>${mark}</b>`,
    hint: 'The path comes from the client: escapeHtml(request.path).',
  });
  // The path decoded and HTML-escaped, or percent-encoded as it was sent (as Django's page_not_found shows it).
  const decoded = `/shelf-${mark}/<b>${mark}</b>`;
  expectShows(t, response, decodeHtml(response.text).includes(sent) ? sent : decoded, 'the path that was asked for', 'Show request.path on the 404 page, escaped.');
  // All five characters, each escaped: & < > " ' in a path, between two random marks.
  const [start, end] = [`shelf-${token()}`, token()];
  // And a "%": request.path is decoded already, so decoding it again garbles it or throws (URIError: "%" then "of").
  const inner = `/<i>"q" & 'r' &amp; x>y 50%off</i>`;
  const asked = encodeURI(`/${start}${inner}${end}/`);
  const page = await t.request({ path: asked, trace: true });
  t.expectStatus(page, 404, 'No route matches, so the router throws HttpError 404: withErrorPages answers it with notFoundPage().');
  const shownAs = decodeHtml(page.text).includes(asked) ? encodeURI(inner) : inner;
  // Or percent-encoded another way, as Django's page_not_found shows quote(request.path) (& as %26, ' as %27,
  // hex digits in either case): once percent-decoded, it is the path that was asked for. A page may show it in
  // both forms (decoded in the text, percent-encoded in a link's href): each place reads as one of them.
  const percentDecoded = (shown: string) => {
    try {
      return decodeURIComponent(shown);
    } catch {
      return undefined;
    }
  };
  expectEscaped(t, page, `${start}${shownAs}${end}`, start, end, 'the path that was asked for', "escapeHtml(request.path): & < > \" ' each become a character reference, & first.", (shown, expected) => shown === expected || shown === inner || percentDecoded(shown) === inner);
  // Encoded twice: request.path is "%3Cb%3E…" once decoded, which is harmless text. Decoded again after
  // escaping, it turns into markup that escapeHtml never saw.
  const twice = token();
  const doubly = await t.request({ path: `/shelf-${twice}/%253Cb%253E${twice}%253C/b%253E`, trace: true });
  t.expectStatus(doubly, 404, 'No route matches, so the router throws HttpError 404: withErrorPages answers it with notFoundPage().');
  t.check(!doubly.text.includes(`<b>${twice}`), {
    summary: 'A path encoded twice (%253C for "<") puts markup into the 404 page: the path is decoded again after it was escaped.',
    expected: `%3Cb%3E${twice}%3C/b%3E, as request.path holds it (or escaped: &lt;b&gt;)`,
    received: JSON.stringify(doubly.text.slice(Math.max(0, doubly.text.indexOf(twice) - 40), doubly.text.lastIndexOf(twice) + 40)),
    hint: 'request.path is decoded already: escape it last, just before it goes into the page, and decode nothing after that (decodeURIComponent turns %3C back into <).',
  });
});

lesson.behaviour('answers DELETE and PUT on /books/ with 405 and an Allow header', async (t) => {
  for (const method of ['DELETE', 'PUT']) {
    const response = await t.request({ method, path: '/books/', trace: true });
    t.expectStatus(response, 405, 'BookListView has no delete() or put(): dispatch() answers with httpMethodNotAllowed().');
    t.check(JSON.stringify(allowedMethods(response)) === JSON.stringify(listMethods), {
      summary: 'A 405 must list the methods the resource does allow (RFC 9110, section 15.5.6).',
      expected: 'Allow: GET, POST, HEAD, OPTIONS (in any order)',
      received: `Allow: ${header(response, 'Allow') ?? '(no Allow header)'}`,
      hint: 'allowedMethods(): every method this view has a handler for, HEAD when it has get(), and OPTIONS, upper case (method names are case-sensitive).',
    });
  }
});

lesson.behaviour('answers HEAD on /books/ like GET, without a body', async (t) => {
  const get = await t.request({ path: '/books/' });
  t.expectStatus(get, 200, 'GET /books/ must work first.');
  const head = await t.request({ method: 'HEAD', path: '/books/', trace: true });
  t.expectStatus(head, 200, 'dispatch() answers HEAD with get() when the view has no head() of its own.');
  for (const name of ['Content-Type', 'Content-Length']) {
    t.check(header(head, name) === header(get, name), {
      summary: `HEAD should send the same ${name} as GET (RFC 9110, section 9.3.2).`,
      expected: `${name}: ${header(get, name)}`,
      received: `${name}: ${header(head, name) ?? '(none)'}`,
      hint: 'Call get() for HEAD and return its response whole: serve() leaves the body out by itself.',
    });
  }
  t.check(head.body.length === 0, { summary: 'A response to HEAD carries no body.', received: `${head.body.length} bytes` });
});

lesson.behaviour('answers OPTIONS on /books/ with the allowed methods', async (t) => {
  const response = await t.request({ method: 'OPTIONS', path: '/books/', trace: true });
  t.check(response.status === 200 || response.status === 204, {
    summary: `Expected status 200 (or 204), got ${response.status}.`,
    expected: '200 OK',
    received: response.statusLine,
    hint: 'Every View answers OPTIONS with its options() method, as Django\'s View does.',
  });
  t.check(JSON.stringify(allowedMethods(response)) === JSON.stringify(listMethods), {
    summary: 'OPTIONS should list the methods /books/ allows in the Allow header.',
    expected: 'Allow: GET, POST, HEAD, OPTIONS (in any order)',
    received: `Allow: ${header(response, 'Allow') ?? '(no Allow header)'}`,
    hint: 'options() answers with an empty body and Allow: allowedMethods().join(\', \').',
  });
  t.check(response.body.length === 0, {
    summary: 'OPTIONS on /books/ should answer with an empty body: the Allow header says it all.',
    expected: '0 bytes',
    received: `${response.body.length} bytes: ${JSON.stringify(response.text.slice(0, 80))}`,
    hint: "new Response('', { headers: { allow: … } })",
  });
});

lesson.behaviour("lists each view's own methods in Allow: the PDF view's are GET, PUT, HEAD and OPTIONS", async (t) => {
  const path = `/books/${anySeedBook().id}/pdf`;
  const pdfMethods = ['GET', 'HEAD', 'OPTIONS', 'PUT'];
  // /books/ first: a list of methods worked out once and kept for every view would be /books/'s.
  const list = await t.request({ method: 'OPTIONS', path: '/books/', trace: true });
  t.check(JSON.stringify(allowedMethods(list)) === JSON.stringify(listMethods), {
    summary: 'OPTIONS /books/ should list the methods /books/ allows in the Allow header.',
    expected: 'Allow: GET, POST, HEAD, OPTIONS (in any order)',
    received: `Allow: ${header(list, 'Allow') ?? '(no Allow header)'}`,
    hint: "allowedMethods(): every method this view has a handler for, HEAD when it has get(), and OPTIONS.",
  });
  const expectPdfAllow = (response: Received, summary: string) =>
    t.check(JSON.stringify(allowedMethods(response)) === JSON.stringify(pdfMethods), {
      summary,
      expected: 'Allow: GET, PUT, HEAD, OPTIONS (in any order)',
      received: `Allow: ${header(response, 'Allow') ?? '(no Allow header)'}`,
      hint: "allowedMethods() asks this view which handlers it has (handlerFor), on every request: BookPdfView has get() and put(), so GET, PUT, HEAD and OPTIONS, not /books/'s list (nor a list kept from another view's request).",
    });
  for (const method of ['DELETE', 'POST']) {
    const response = await t.request({ method, path, trace: true });
    t.expectStatus(response, 405, 'BookPdfView has get() and put() only: dispatch() answers any other method with httpMethodNotAllowed().');
    expectPdfAllow(response, `The 405 for ${method} ${path} does not list the PDF view's own methods.`);
  }
  const options = await t.request({ method: 'OPTIONS', path, trace: true });
  t.check(options.status === 200 || options.status === 204, {
    summary: `OPTIONS ${path}: expected status 200 (or 204), got ${options.status}.`,
    expected: '200 OK',
    received: options.statusLine,
    hint: "Every View answers OPTIONS with its options() method, as Django's View does.",
  });
  expectPdfAllow(options, `OPTIONS ${path} does not list the PDF view's own methods.`);
});

lesson.behaviour('exports the books as CSV: a header row, then one row per book, with CRLF line breaks', async (t) => {
  const { csv } = await exportCsv(t);
  expectCsvReadable(t, csv);
  t.check(JSON.stringify(csv.records[0]) === JSON.stringify(['id', 'title', 'author', 'year']), {
    summary: 'The first row of the CSV is not the header row.',
    expected: JSON.stringify(['id', 'title', 'author', 'year']),
    received: JSON.stringify(csv.records[0] ?? null),
    hint: "Start the rows with ['id', 'title', 'author', 'year'].",
  });
  for (const book of seed) expectRow(t, csv, book);
  // One row per book, every time: a second export, with no book added in between, has the same rows (in any
  // order). Rows kept in an array outside the view would hold the first export's books a second time.
  const again = (await exportCsv(t)).csv;
  expectCsvReadable(t, again);
  const rows = (c: Csv) => c.records.slice(1).map((r) => JSON.stringify(r)).sort();
  const ids = again.records.slice(1).map((r) => r[0]);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  t.check(twice === undefined && JSON.stringify(rows(again)) === JSON.stringify(rows(csv)), {
    summary:
      twice === undefined
        ? `A second export, with no book added in between, has other rows than the first (${csv.records.length - 1} rows after the header the first time, ${again.records.length - 1} the second).`
        : `A second export, with no book added in between, has book ${twice} in more than one row: is the list of rows kept between requests and added to?`,
    expected: `the header, then one row per book: ${csv.records.length - 1} rows, as the first time`,
    received: `${again.records.length - 1} rows, first fields ${JSON.stringify(ids)}`,
    hint: "Build the rows inside exportCsv(), from books.all(), on every request: an array kept outside the view keeps the last request's rows too.",
  });
});

lesson.behaviour('quotes CSV fields that hold commas, quotes or line breaks', async (t) => {
  const mark = token();
  // Each character that needs quoting alone in a field: a server that quotes only on commas fails one of them.
  const books = [
    { title: `Commas, and no other ${mark}`, author: `Say "hi" ${mark}`, year: String(random.int(1000, 2024)) },
    { title: `Two lines\r\nof title ${mark}`, author: `Lee\nKim ${mark}`, year: String(random.int(1000, 2024)) },
    { title: `A carriage\rreturn ${mark}`, author: `Plain ${mark}`, year: String(random.int(1000, 2024)) },
  ];
  const ids: number[] = [];
  for (const book of books) ids.push(await createBook(t, book));
  const { csv } = await exportCsv(t);
  expectCsvReadable(t, csv);
  books.forEach((book, i) => expectRow(t, csv, { id: ids[i]!, ...book }));
});

lesson.behaviour('sends the CSV as a download named books.csv', async (t) => {
  const { response } = await exportCsv(t);
  expectUtf8Type(t, response, 'text/csv', 'CSV is "text/csv"; say its charset, so "Gödel" arrives intact.');
  expectAttachment(t, response, 'books.csv', 'Content-Disposition: attachment; filename="books.csv" makes the browser save the file (RFC 6266).');
});

lesson.behaviour('stores an uploaded PDF and sends back the same bytes', async (t) => {
  const path = `/books/${pdfBook.id}/pdf`;
  const put = (bytes: Buffer) => t.request({ method: 'PUT', path, headers: { 'content-type': 'application/pdf' }, body: bytes, trace: true });
  const first = await put(Buffer.concat([Buffer.from('%PDF-1.7\n'), random.bytes(1500)]));
  t.expectStatus(first, 201, 'The book had no PDF yet: a PUT that creates something answers 201 Created (RFC 9110, section 9.3.4).');
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), random.bytes(3000)]);
  const second = await put(bytes);
  // RFC 9110, section 9.3.4: a PUT that modifies the current representation answers 200 or 204.
  t.check(second.status === 204 || second.status === 200, {
    summary: `A second PUT replaces the PDF: expected 204 No Content (or 200 OK), got ${second.status}.`,
    expected: '204 No Content (or 200 OK)',
    received: second.statusLine,
    hint: 'A PUT that replaces what was there answers 204 No Content (or 200); 201 Created is for the first one only.',
  });
  // Another book's first PDF creates its own resource: 201 again, whatever other books hold.
  const other = await t.request({ method: 'PUT', path: `/books/${laterPdfBook.id}/pdf`, headers: { 'content-type': 'application/pdf' }, body: Buffer.concat([Buffer.from('%PDF-1.7\n'), t.random.bytes(300)]), trace: true });
  t.expectStatus(other, 201, `Book ${laterPdfBook.id} had no PDF yet: its first PUT creates one, so 201 Created, although book ${pdfBook.id} has a PDF already. Ask whether this book has a PDF (books.setPdf() tells you).`);
  const response = await t.request({ path, trace: true });
  t.expectStatus(response, 200, 'GET /books/<id>/pdf is BookPdfView.get in views.ts.');
  const differsAt = [...bytes].findIndex((byte, i) => response.body[i] !== byte);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);
  t.check(response.body.equals(bytes), {
    summary:
      response.body.length !== bytes.length
        ? `The download has ${response.body.length} bytes; the PDF uploaded last had ${bytes.length}.`
        : `The download differs from the PDF uploaded last, from byte ${differsAt} on.`,
    expected: `${bytes.length} bytes, sha256 ${sha(bytes)}…`,
    received: `${response.body.length} bytes, sha256 ${sha(response.body)}…`,
    hint: 'Keep request.body as a Buffer and send it back as it is: as a string, bytes that are not UTF-8 are lost.',
  });
});

lesson.behaviour('sends the PDF as a download named book-N.pdf', async (t) => {
  // Two books, so that at most one of them is book 1, the lesson's example (book-1.pdf).
  for (const book of [downloadBook, laterPdfBook]) {
    const path = `/books/${book.id}/pdf`;
    // Uploaded under another label: the download is the server's to label, whatever the uploader said.
    const upload = await t.request({ method: 'PUT', path, headers: { 'content-type': 'application/octet-stream' }, body: random.bytes(200) });
    t.check(upload.status >= 200 && upload.status < 300, { summary: `Uploading a PDF with PUT ${path} failed.`, received: upload.statusLine });
    const response = await t.request({ path, trace: true });
    t.expectStatus(response, 200);
    t.expectHeader(
      response,
      'Content-Type',
      /^application\/pdf\s*(?:;|$)/i,
      'Label the bytes for what they are: "application/pdf", whatever Content-Type the upload came with (here application/octet-stream). Echo the uploader\'s label and an upload sent as text/html would run as a page.',
    );
    expectAttachment(
      t,
      response,
      `book-${book.id}.pdf`,
      `fileResponse(pdf, \`book-\${book.id}.pdf\`, 'application/pdf'): Content-Disposition: attachment; filename="book-${book.id}.pdf", the id of the book asked for.`,
    );
  }
});

lesson.behaviour('answers a view that throws with a 500 page that hides the error, and logs it', async (t) => {
  const secret = `s3cret-${token()}`;
  const mark = t.server.output.length;
  const response = await t.request({ path: `/debug/crash/?detail=${secret}`, trace: true });
  t.expectStatus(response, 500, 'An error that is not an HttpError is a bug: withErrorPages answers it with serverErrorPage().');
  expectHtmlPage(t, response, 'serverErrorPage() is an HTML page: build it with page().');
  t.expectBody(response, heading('Server error'), 'The 500 page has the heading <h1>Server error</h1>.');
  t.check(!response.text.includes(secret) && !stackTraceOrSource.test(response.text), {
    summary: 'The 500 page shows the error. Its message and stack trace can reveal file paths, queries or secrets to anyone.',
    expected: 'a page that says only that something went wrong',
    received: JSON.stringify(response.text.slice(0, 300)),
    hint: 'Leave the error out of serverErrorPage() entirely: no message, no stack.',
  });
  // A header is part of the page a visitor gets, as much as its body.
  const inHeader = response.headers.find(([, value]) => value.includes(secret) || stackTraceOrSource.test(value));
  t.check(inHeader === undefined, {
    summary: 'A header of the 500 response carries the error. Anyone who sends the request reads it, as they read the page.',
    expected: 'headers that say nothing about the error',
    received: inHeader ? `${inHeader[0]}: ${inHeader[1]}` : '',
    hint: 'The error goes to the log (console.error) and nowhere else: not into the page, not into a header.',
  });
  const mentionsSecret = (lines: string[]) => lines.some((line) => line.includes(secret));
  t.check(mentionsSecret(await t.waitForOutput(mark, mentionsSecret)), {
    summary: "The error never reached the server's output: with a 500 page and no log, nobody learns what broke.",
    expected: `a log line with "Crashed on purpose (detail: ${secret})"`,
    received: '(nothing about it)',
    hint: 'console.error(error) in withErrorPages, before you answer with serverErrorPage().',
  });
});
