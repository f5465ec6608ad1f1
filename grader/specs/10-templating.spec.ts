// Lesson 10: a template engine. The views put values from the query string into
// templates, so the grader picks them at random and knows exactly what each page
// must say. Escaping is judged as a browser would read the page: a value must
// come back, once decoded, exactly as it was sent, and never as markup.
import { accountHtml, baseHtml, listHtml, sectionHtml } from '../../provided/fixtures/10-templating.ts';
import { type Check, decodeHtml, gradeLesson, type Received, stackTraceOrSource } from '../engine/harness.ts';

// node:http reads the requests: a behaviour's requests share connections (see LessonOptions.keepAlive).
const lesson = gradeLesson(import.meta.url, { keepAlive: true });
const { random } = lesson;

const q = encodeURIComponent;

/** An & that starts no character reference (a name may hold digits: &frac12;, &sup2;): a browser guesses what it means. */
const bareAmpersand = /&(?!#x[0-9a-f]+;|#\d+;|[a-z][a-z0-9]*;)/i;

/** What an escaped value looks like, to show in a failure. */
const escapeForDisplay = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;');

/**
 * The server's log lines since `mark` that say why a template is broken
 * (`saysWhy`), once they have arrived: there must be one, and one must be a
 * TemplateSyntaxError, as in `example`.
 */
async function syntaxErrorLogged(
  t: Check,
  mark: number,
  saysWhy: (lines: string[]) => boolean,
  texts: { example: string; summary: string; hint: string; classHint: string },
): Promise<string[]> {
  t.check(saysWhy(await t.waitForOutput(mark, saysWhy)), {
    summary: texts.summary,
    expected: `an error such as ${texts.example}`,
    received: t.server.outputSince(mark).map((line) => line.text).slice(0, 5).join('\n') || '(nothing was printed)',
    hint: texts.hint,
  });
  const why = t.server.outputSince(mark).map((line) => line.text).filter((line) => saysWhy([line]));
  t.check(why.some((line) => /TemplateSyntaxError/.test(line)), {
    summary: 'The error in the log is not a TemplateSyntaxError.',
    expected: texts.example,
    received: why.slice(0, 3).join('\n'),
    hint: texts.classHint,
  });
  // A message may go on over several lines ("Unclosed tag 'for'" / "  --> broken.html, line 4"): they say why too.
  return [...new Set([...why, ...messageLines(t.server.outputSince(mark).map((line) => line.text))])];
}

/** The lines of each logged TemplateSyntaxError's message: the one that names the class, then those after it up to its stack trace. */
function messageLines(lines: string[]): string[] {
  let inside = false;
  return lines.filter((line) => (inside = /TemplateSyntaxError/.test(line) || (inside && line.trim() !== '' && !/^\s+at\s/.test(line))));
}

/**
 * The 500 page must say nothing about the error: not its class, not its message (the lines the
 * server logged about it, `why`), not a stack trace. They are for the server's log only.
 */
function expectNoErrorDetails(t: Check, response: Received, why: string[]): void {
  const messages = why.map((line) => line.replace(/^\s*(?:\w*Error:\s*)?/, '').trim()).filter((message) => message.length >= 8);
  const leaked =
    /TemplateSyntaxError/.exec(response.text)?.[0] ??
    stackTraceOrSource.exec(response.text)?.[0] ??
    messages.find((message) => response.text.includes(message));
  t.check(leaked === undefined, {
    summary: 'The 500 page shows the error: its class, its message or its stack trace. They tell a visitor how your code is built, and where it breaks.',
    expected: 'a plain error page, such as "Internal Server Error", and the details in the server log only',
    received: `the page shows ${JSON.stringify(leaked)}:\n${JSON.stringify(response.text.slice(0, 300))}`,
    hint: "Let the error propagate: the provided errorResponse logs it and answers a plain 500. Don't catch it to put its message or stack into the response, as Django's debug page does (DEBUG = True is for your own machine only).",
  });
}

async function page(t: Check, path: string, hint = 'Your server output below says what went wrong.'): Promise<Received> {
  const response = await t.request({ path });
  t.expectStatus(response, 200, hint);
  return response;
}

/** The first capture of `pattern` in the page, or a failure that says what was looked for. */
function find(t: Check, response: Received, pattern: RegExp, what: string, hint: string): string {
  const match = pattern.exec(response.text);
  t.check(match !== null, {
    summary: `The page does not have ${what}.`,
    expected: `a part matching ${pattern}`,
    received: JSON.stringify(response.text.slice(0, 600)),
    hint,
  });
  return match![1] ?? match![0];
}

interface ElementCheck {
  /** Where the element comes from, for a page without it. */
  where: string;
  /** What went wrong, given the element's text. */
  summary: string | ((text: string) => string);
  hint: string;
}

/** The page's <tag> must hold exactly `expected`. */
function expectElement(t: Check, response: Received, tag: string, expected: string, check: ElementCheck): void {
  const text = find(t, response, new RegExp(`<${tag}>([^<]*)</${tag}>`), `a <${tag}>`, check.where);
  t.check(text === expected, {
    summary: typeof check.summary === 'function' ? check.summary(text) : check.summary,
    expected: `<${tag}>${expected}</${tag}>`,
    received: `<${tag}>${text}</${tag}>`,
    hint: check.hint,
  });
}

lesson.behaviour('fills in variables, following dots into objects', async (t) => {
  const name = `Ada${t.hex(3)}`;
  const city = `City${t.hex(3)}`;
  const response = await page(t, `/greet/?name=${name}&city=${city}`);
  const heading = find(t, response, /<h1>([^<]*)<\/h1>/, 'its <h1>', 'greet.html has <h1>Hello, {{ user.name }}!</h1>.');
  t.check(heading === `Hello, ${name}!`, {
    summary: '{{ user.name }} did not become the name from the query string.',
    expected: `<h1>Hello, ${name}!</h1>`,
    received: `<h1>${heading}</h1>`,
    hint: 'A dot means "look up this key in the value so far": start from the context, take user, then its name.',
  });
  const where = find(t, response, /<p id="city">([^<]*)<\/p>/, 'the <p id="city"> line', 'greet.html has <p id="city">You live in {{ user.address.city }}.</p>.');
  t.check(where === `You live in ${city}.`, {
    summary: '{{ user.address.city }}, two dots deep, did not become the city.',
    expected: `<p id="city">You live in ${city}.</p>`,
    received: `<p id="city">${where}</p>`,
    hint: 'Follow every dot, not just the first: split the name on "." and look up each part in turn.',
  });
  const items = [`first${t.hex(3)}`, `second${t.hex(3)}`];
  const first = find(t, await page(t, `/list/?items=${items.join(',')}`), /<p id="first">([^<]*)<\/p>/, 'the <p id="first"> line', 'list.html has {% if items %}<p id="first">First: {{ items.0 }}</p>{% endif %}.');
  t.check(first === `First: ${items[0]}`, {
    summary: '{{ items.0 }} did not become the first item of the list.',
    expected: `<p id="first">First: ${items[0]}</p>`,
    received: `<p id="first">${first}</p>`,
    hint: 'A dot followed by digits is a lookup too: on a list, "0" is its first item. Only a whole operand of digits is a number literal.',
  });
});

lesson.behaviour('renders a missing variable as an empty string', async (t) => {
  const response = await page(t, `/greet/?name=${t.hex(3)}&city=${t.hex(3)}`);
  for (const [id, variable] of [['nickname', 'user.nickname'], ['friend', 'friend.name.first']] as const) {
    const line = find(t, response, new RegExp(`<p id="${id}">([^<]*)</p>`), `the <p id="${id}"> line`, `greet.html shows [{{ ${variable} }}].`);
    t.check(/\[\]$/.test(line), {
      summary: `{{ ${variable} }} names nothing in the context, but did not render as an empty string.`,
      expected: `${line.replace(/\[.*\]$/, '')}[]`,
      received: line,
      hint: 'A name that is not there, or a dot that leads nowhere, renders as "", as in Django: not "undefined", and not an error.',
    });
  }
});

/** What each filter line of filters.html shows, by its <dd> id, for the query's word, tags and nickname. */
function filterLines(word: string, tags: string[], nickname: string): Record<string, string> {
  return {
    upper: word.toUpperCase(),
    lower: word.toLowerCase(),
    length: String(tags.length),
    join: tags.join(' / '),
    default: nickname || 'anonymous',
    chain: (nickname || word).toUpperCase(),
    'word-length': String(word.length),
    'no-length': '0',
    pipe: tags.join(' | '),
    'single-pipe': tags.join(' | '),
  };
}

lesson.behaviour('applies filters, with arguments and in chains', async (t) => {
  const value = `MiXeD${t.hex(3)}`;
  const tags = Array.from({ length: t.random.int(2, 4) }, () => `t${t.hex(3)}`);
  const hints: Record<string, string> = {
    upper: '{{ word|upper }}: a filter is a function applied to the value.',
    lower: '{{ word|lower }}',
    length: '{{ tags|length }}: the number of items in the list.',
    join: '{{ tags|join:" / " }}: the text after the colon is the argument; the quotes are not part of it.',
    default: '{{ nickname|default:"anonymous" }}: the argument, when the value is empty.',
    chain: '{{ nickname|default:word|upper }}: filters apply left to right, each to the result of the one before; an argument without quotes is a variable.',
    'word-length': "{{ word|length }}: length counts a string's characters too, not only a list's items.",
    'no-length': '{{ missing|length }}: a value that is neither a list nor a string has length 0, as in Django.',
    pipe: '{{ tags|join:" | " }}: a | inside quotes belongs to the argument; split the filters only at the pipes outside quotes.',
    'single-pipe': "{{ tags|join:' | ' }}: single quotes make a literal too, and a | inside them is part of it.",
  };
  // The last time with no tags at all: an empty list has length 0 and joins into nothing, as in Django.
  const cases: [nickname: string, tags: string[]][] = [['', tags], [`Nick${t.hex(3)}`, tags], ['', []]];
  for (const [nickname, sent] of cases) {
    const response = await page(
      t,
      `/filters/?word=${value}&tags=${sent.join(',')}&nickname=${nickname}`,
      sent.length ? undefined : 'With no tags, tags is an empty list: {{ tags|length }} is 0 and {{ tags|join:" / " }} is empty. Does join (a reduce() without a first value, say) throw on an empty list?',
    );
    for (const [id, expected] of Object.entries(filterLines(value, sent, nickname))) {
      const got = find(t, response, new RegExp(`<dd id="${id}">([^<]*)</dd>`), `the <dd id="${id}"> line`, hints[id]!);
      t.check(got === expected, {
        summary: `The ${id} filter line is not right${sent.length ? '' : ' with no tags (an empty list)'}${nickname ? '' : ' (with no nickname)'}.`,
        expected: `<dd id="${id}">${expected}</dd>`,
        received: `<dd id="${id}">${got}</dd>`,
        hint: hints[id],
      });
    }
  }
});

lesson.behaviour('keeps visitor input escaped through every filter, and escapes it only once', async (t) => {
  const n = t.random.int(1, 999);
  const value = `<Script>alert('${t.hex(3)}') & "${n}"</Script>`;
  const tags = [`<i>${t.hex(3)}</i>`, `a&b "${n}"`, `it's <${t.hex(3)}>`];
  const filtersUsed: Record<string, { expression: string; leak: string }> = {
    upper: { expression: 'word|upper', leak: 'upper returns plain text, not a SafeString: {{ }} escapes its result like any other value.' },
    lower: { expression: 'word|lower', leak: 'lower returns plain text, not a SafeString: {{ }} escapes its result like any other value.' },
    length: { expression: 'tags|length', leak: 'length returns a number, which {{ }} turns into text and escapes like any other value.' },
    join: { expression: 'tags|join:" / "', leak: 'join marks its result safe, so it must escape each item first (conditionalEscape), then join them.' },
    default: { expression: 'nickname|default:"anonymous"', leak: "default hands back the value as it is: it must not mark a visitor's value safe." },
    chain: { expression: 'nickname|default:word|upper', leak: 'Neither default nor upper may mark a visitor\'s value safe: only join and safe return a SafeString.' },
  };
  for (const nickname of ['', `<img src=x onerror=alert(${n})>`]) {
    const expected = filterLines(value, tags, nickname);
    const response = await page(t, `/filters/?word=${q(value)}&tags=${q(tags.join(','))}&nickname=${q(nickname)}`);
    for (const [id, { expression, leak }] of Object.entries(filtersUsed)) {
      const shown = find(t, response, new RegExp(`<dd id="${id}">([\\s\\S]*?)</dd>`), `the <dd id="${id}"> line`, `filters.html has <dd id="${id}">{{ ${expression} }}</dd>.`);
      t.check(!/[<>]/.test(shown), {
        summary: `{{ ${expression} }} put the visitor's markup on the page: a browser would run it.`,
        expected: `<dd id="${id}">${escapeForDisplay(expected[id]!)}</dd>`,
        received: `<dd id="${id}">${shown}</dd>`,
        hint: leak,
      });
      const twice = decodeHtml(shown) !== expected[id] && decodeHtml(decodeHtml(shown)) === expected[id];
      t.check(decodeHtml(shown) === expected[id] && !bareAmpersand.test(shown), {
        summary: twice
          ? `{{ ${expression} }} escaped the visitor's text twice: the visitor would see "&lt;" instead of "<".`
          : `{{ ${expression} }} does not read back as the visitor's text.`,
        expected: `a browser reads: ${expected[id]}`,
        received: `the page has: ${shown}\na browser reads: ${decodeHtml(shown)}`,
        hint: twice
          ? id === 'join'
            ? 'join escapes each item, then marks the whole safe, so that {{ }} does not escape it again.'
            : 'Escape once, where the value enters the page: a filter returns plain text and leaves escaping to {{ }}.'
          : `filters.html has <dd id="${id}">{{ ${expression} }}</dd>; escape & first, then < > " '.`,
      });
    }
  }
});

/** A line of filters.html whose value a template literal fixes, and what it must show. */
interface LiteralLine {
  id: string;
  template: string;
  expected: string;
  /** The literal is markup: the line's text may hold tags. */
  markup?: boolean;
  summary: string;
  hint: string;
}

const trustedLiteral: LiteralLine = {
  id: 'literal',
  template: '{{ nickname|default:"<em>anonymous</em>" }}',
  expected: '<em>anonymous</em>',
  markup: true,
  summary: 'A quoted literal in the template was escaped: its author is you, so it is trusted as written.',
  hint: 'parseOperand: a quoted string is a literal, marked safe (markSafe), as Django trusts string literals.',
};

const valueLiterals: LiteralLine[] = [
  {
    id: 'number',
    template: '{{ missing|default:42 }}',
    expected: '42',
    summary: '{{ missing|default:42 }}: the bare number 42 was not read as the number 42.',
    hint: 'An operand of digits is a number literal (Number(text)), not a name to look up.',
  },
  {
    id: 'decimal',
    template: '{{ missing|default:-2.75 }}',
    expected: '-2.75',
    summary: '{{ missing|default:-2.75 }}: a negative number with decimals was not read as that number.',
    hint: 'A number literal may start with - and have a fractional part of several digits: -2.75.',
  },
  {
    id: 'literal-truth',
    template: `{{ ""|default:"none" }} {{ 'yes'|default:"none" }}`,
    expected: 'none yes',
    summary: `A quoted literal is a value like any other: "" is false and 'yes' is true, safe or not.`,
    hint: "Literals are SafeStrings: isTruthy must look at a SafeString's text (empty or not), and 'single quotes' make a literal as \"double\" do.",
  },
];

/** The text of the line's <dd> on the filters page. */
function literalText(t: Check, response: Received, line: LiteralLine): string {
  const content = line.markup ? '[\\s\\S]*?' : '[^<]*';
  return find(t, response, new RegExp(`<dd id="${line.id}">(${content})</dd>`), `the <dd id="${line.id}"> line`, `filters.html has <dd id="${line.id}">${line.template}</dd>.`);
}

function expectLiteral(t: Check, response: Received, line: LiteralLine): void {
  const text = literalText(t, response, line);
  // A number becomes text that {{ }} escapes like any other ("-2.75" may be written "&#45;2&#46;75"); only markup must stand as written.
  t.check((line.markup ? text : decodeHtml(text)) === line.expected, {
    summary: line.summary,
    expected: `<dd id="${line.id}">${line.expected}</dd>`,
    received: `<dd id="${line.id}">${text}</dd>`,
    hint: line.hint,
  });
}

lesson.behaviour('trusts quoted literals as written, and reads bare numbers as numbers', async (t) => {
  expectLiteral(t, await page(t, '/filters/?word=x&tags=a&nickname='), trustedLiteral);
  const nickname = `<u>${t.hex(3)}</u>`;
  const response = await page(t, `/filters/?word=x&tags=a&nickname=${q(nickname)}`);
  const visitor = literalText(t, response, trustedLiteral);
  t.check(decodeHtml(visitor) === nickname && !/[<>]/.test(visitor), {
    summary: 'The literal is trusted, but the nickname the visitor sent must still be escaped.',
    expected: `<dd id="literal">${escapeForDisplay(nickname)}</dd>`,
    received: `<dd id="literal">${visitor}</dd>`,
    hint: 'Only the literal is a SafeString; default returns the value itself when it is true.',
  });
  for (const line of valueLiterals) expectLiteral(t, response, line);
});

lesson.behaviour('shows the if branch or the else branch by truthiness', async (t) => {
  const user = `user${t.hex(3)}`;
  const cases: [string, RegExp, string, string][] = [
    [`/account/?user=${user}`, /<p id="status">([^<]*)<\/p>/, `Signed in as ${user}.`, 'A non-empty string is true: render the part before {% else %}.'],
    // "0" is a string of one character: true in Python and in JavaScript, although "0" == false in JavaScript.
    ['/account/?user=0', /<p id="status">([^<]*)<\/p>/, 'Signed in as 0.', 'The text "0" is not empty, so it is true (as in Python and JavaScript alike); only the number 0 is false. Loose equality ("0" == false) says otherwise: test the value itself, not value == false.'],
    ['/account/', /<p id="status">([^<]*)<\/p>/, accountHtml.signedOut, 'user is the empty string here: false, so render the part after {% else %}.'],
    // Only the empty text is false: a space is a character, so " " is true (as in Python and JavaScript alike).
    ['/account/?user=%20', /<p id="status">([^<]*)<\/p>/, 'Signed in as  .', 'The text " " holds one character, a space: it is not empty, so it is true. Test the value as it is, without trim().'],
    ['/list/', /<p id="count">([^<]*)<\/p>/, 'Nothing to buy', 'items is an empty list: false in a template, as in Python, although JavaScript calls [] true.'],
    ['/list/?items=a,b', /<p id="count">([^<]*)<\/p>/, '2 to buy', 'items has two things in it: true.'],
  ];
  for (const [path, pattern, expected, hint] of cases) {
    const response = await page(t, path);
    // As a browser reads it: an escaper may write the visitor's " " as "&#32;".
    const shown = decodeHtml(find(t, response, pattern, 'the line the if tag chooses', hint));
    t.check(shown === expected, {
      summary: `GET ${path} showed the wrong branch of the if tag.`,
      expected,
      received: shown,
      hint,
    });
    const lines = [...response.text.matchAll(new RegExp(pattern.source, 'g'))].map((match) => match[1]);
    t.check(lines.length === 1, {
      summary: `GET ${path} showed both branches of the if tag.`,
      expected: `only ${JSON.stringify(expected)}`,
      received: lines.map((line) => JSON.stringify(line)).join(', then '),
      hint: 'An if tag renders one of its two lists, never both: the part before {% else %} when the condition is true, the part after it when it is false.',
    });
  }
  const empty = await page(t, '/list/');
  t.check(!/<p id="first">/.test(empty.text) && /<p id="count">Nothing to buy<\/p>/.test(empty.text), {
    summary: 'An {% if %} without {% else %} rendered something for an empty list, or swallowed what follows it.',
    expected: 'no <p id="first"> line, then <p id="count">Nothing to buy</p>',
    received: JSON.stringify(empty.text.slice(empty.text.indexOf('<h1>'), empty.text.indexOf('<h1>') + 200)),
    hint: 'When {% endif %} ends the then-part, there is no else-part: do not parse on looking for another {% endif %}.',
  });
});

lesson.behaviour('repeats a for loop per item, and shows its empty part for an empty list', async (t) => {
  const items = Array.from({ length: t.random.int(2, 5) }, () => `item${t.hex(3)}`);
  const full = await page(t, `/list/?items=${items.join(',')}`);
  const rows = [...full.text.matchAll(/<li( class="empty")?>([^<]*)<\/li>/g)].map((m) => (m[1] ? '(empty part)' : m[2]));
  t.check(rows.join(', ') === items.join(', '), {
    summary: 'The for loop did not render one <li> per item, in order.',
    expected: items.map((i) => `<li>${i}</li>`).join(' '),
    received: rows.length ? rows.map((r) => `<li>${r}</li>`).join(' ') : '(no <li> at all)',
    hint: 'Render the loop body once per item, with the loop variable set to that item; the {% empty %} part only when there are none.',
  });
  const empty = await page(t, '/list/');
  const shown = [...empty.text.matchAll(/<li( class="empty")?>([^<]*)<\/li>/g)].map((m) => m[0]);
  t.check(shown.join(' ') === listHtml.empty, {
    summary: 'With an empty list, the {% empty %} part of the loop did not render (alone).',
    expected: listHtml.empty,
    received: shown.join(' ') || '(no <li> at all)',
    hint: 'Parse {% for %} until {% empty %} or {% endfor %}; after {% empty %}, parse on until {% endfor %}. Render that second part when the list is empty.',
  });
  const again = find(t, full, /<p id="again">([^<]*)<\/p>/, 'the <p id="again"> line', 'list.html has <p id="again">{% for item in items %}{{ item }};{% endfor %}</p>.');
  t.check(again === items.map((i) => `${i};`).join(''), {
    summary: 'A for loop without {% empty %} did not repeat its body once per item.',
    expected: `<p id="again">${items.map((i) => `${i};`).join('')}</p>`,
    received: `<p id="again">${again}</p>`,
    hint: 'When {% endfor %} ends the body, there is no empty part: do not parse on looking for another {% endfor %}.',
  });
  const missing = find(t, full, /<p id="missing">([^<]*)<\/p>/, 'the <p id="missing"> line', `list.html has <p id="missing">{% for thing in nothing %}…{% empty %}${listHtml.missing}{% endfor %}</p>.`);
  t.check(missing === listHtml.missing, {
    summary: 'A for loop over a name that is not in the context did not show its {% empty %} part.',
    expected: `<p id="missing">${listHtml.missing}</p>`,
    received: `<p id="missing">${missing}</p>`,
    hint: 'A missing list loops like an empty one: no items, so the {% empty %} part renders.',
  });
});

lesson.behaviour('escapes XSS payloads in text', async (t) => {
  const n = t.random.int(1, 999);
  const payloads = [
    `<script>alert(${n})</script>`,
    `<img src=x onerror=alert(${n})>`,
    `Tom & Jerry &amp; ${t.hex(3)}`,
    `5 > ${n} < 7 "${t.hex(3)}" it's`,
    // Template syntax in a value is text: an engine that renders values (or the page) again would run it.
    `{{ author }}{% if text %}{# ${t.hex(3)} #}{% endif %}`,
  ];
  for (const payload of payloads) {
    const response = await page(t, `/comment/?text=${q(payload)}&author=${t.hex(3)}&stars=3`);
    const text = /<p class="text">([^<]*)<\/p>/.exec(response.text)?.[1];
    t.check(text !== undefined, {
      summary: 'The comment text did not stay text: a browser would read markup in it.',
      expected: `<p class="text">${payload.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}…</p>`,
      received: JSON.stringify(/<p class="text">[\s\S]{0,120}/.exec(response.text)?.[0] ?? response.text.slice(0, 300)),
      hint: 'Escape every value on its way into the page: & to &amp; (first), < to &lt;, > to &gt;, " to &quot;, \' to &#x27;.',
    });
    t.check(decodeHtml(text!) === payload && !bareAmpersand.test(text!), {
      summary: decodeHtml(text!) === payload ? 'The text has an & that starts no entity.' : 'The escaped text does not read back as what was sent.',
      expected: `a browser reads: ${payload}`,
      received: `the page has: ${text}\na browser reads: ${decodeHtml(text!)}`,
      hint: payload.startsWith('{{')
        ? 'A value is data, never template code: render each {{ }} once, from the parsed tree, and never run a value (or the finished page) through the engine again.'
        : /&amp;(amp|lt|gt|quot|#)/.test(text!) && !payload.includes('&amp;')
          ? '"<" became "&amp;lt;", so the visitor sees "&lt;". Either the value was escaped twice (escape once, where it enters the page), or & was replaced after < and > (replace & first).'
          : 'Escape & first: done after the others, it would escape the & of every "&lt;" again.',
    });
  }
  // Every {{ }} escapes, wherever it stands: in a loop's body and in an if's branch too, and once.
  const [start, end] = [`a${t.hex(3)}`, `z${t.hex(3)}`];
  const value = `${start}<i>${n}</i> & "q" it's &amp;${end}`;
  const sent = value.slice(start.length, -end.length);
  const places: [string, string][] = [
    [`/list/?items=${q(value)}`, 'the item in the for loop (<li>{{ item }}</li>) and in {{ items.0 }}'],
    [`/account/?user=${q(value)}`, 'the user in the if branch (Signed in as {{ user }}.)'],
  ];
  for (const [path, where] of places) {
    const response = await page(t, path);
    const found = [...response.text.matchAll(new RegExp(`${start}([\\s\\S]*?)${end}`, 'g'))].map((match) => match[1]!);
    const raw = found.find((inner) => /[<>"']/.test(inner) || bareAmpersand.test(inner));
    const wrong = found.find((inner) => decodeHtml(inner) !== sent);
    t.check(found.length > 0 && raw === undefined && wrong === undefined, {
      summary:
        found.length === 0
          ? `GET ${path} does not show ${where}.`
          : raw !== undefined
            ? `GET ${path} put ${where} on the page with & < > " ' left as they are: a browser would read markup in it.`
            : `GET ${path} shows ${where}, but it does not read back as what was sent: is it escaped twice?`,
      expected: `a browser reads: ${sent}, written ${escapeForDisplay(sent)}`,
      received: `the page has: ${raw ?? wrong ?? ''}`,
      hint: raw !== undefined
        ? 'Escape every {{ }}, inside {% for %} and {% if %} too: render their bodies with the same renderNodes, where conditionalEscape is.'
        : 'Escape once, where a value enters the page ({{ }}): a loop variable or an if branch gets the value as it is, never an escaped copy.',
    });
  }
});

lesson.behaviour('escapes quotes so a value cannot break out of an attribute', async (t) => {
  const n = t.random.int(1, 999);
  for (const author of [`" onmouseover="alert(${n})`, `' onfocus='alert(${n})' autofocus x='`, `x"><script>alert(${n})</script>`]) {
    const response = await page(t, `/comment/?text=${t.hex(3)}&author=${q(author)}&stars=2`);
    const positions: [string, RegExp][] = [
      ['title="{{ author }}"', /<article class="comment" title="([^"]*)"/],
      ["data-author='{{ author }}'", /data-author='([^']*)'/],
    ];
    for (const [where, pattern] of positions) {
      const value = find(t, response, pattern, `the attribute ${where}`, 'comment.html has <article class="comment" title="{{ author }}" data-author=\'{{ author }}\'>.');
      const twice = decodeHtml(value) !== author && decodeHtml(decodeHtml(value)) === author;
      t.check(decodeHtml(value) === author, {
        summary: twice
          ? `The author in ${where} was escaped twice: the visitor would see entities instead of the quotes.`
          : `The author broke out of ${where}: a browser would read the rest as new attributes or tags.`,
        expected: `the attribute's value reads: ${author}`,
        received: `the attribute's value reads: ${decodeHtml(value)}\nthe tag: ${/<article[^>]*>/.exec(response.text)?.[0] ?? '(none)'}`,
        hint: twice
          ? 'Escape once, where the value enters the page.'
          : 'Escaping < and > is not enough inside an attribute: escape " to &quot; and \' to &#x27; too, so no quote can close it.',
      });
    }
  }
});

lesson.behaviour('lets trusted HTML through with the safe filter', async (t) => {
  const stars = t.random.int(1, 5);
  const bold = t.hex(3);
  const text = `<b>${bold}</b>`;
  const response = await page(t, `/comment/?text=${q(text)}&author=${t.hex(3)}&stars=${stars}`);
  const rating = `<span class="stars">${'★'.repeat(stars)}${'☆'.repeat(5 - stars)}</span>`;
  t.check(response.text.includes(rating), {
    summary: '{{ rating|safe }} was escaped (or lost): the stars should be HTML the browser draws.',
    expected: rating,
    received: JSON.stringify(/<p class="by">[^\n]*/.exec(response.text)?.[0] ?? response.text.slice(0, 300)),
    hint: 'safe marks its value as trusted (markSafe), and the {{ }} node inserts a SafeString as it is.',
  });
  // The visitor's text next to the stars must still be text (escaped once or twice is another behaviour's business).
  const shown = /<p class="text">([^<]*)<\/p>/.exec(response.text)?.[1];
  t.check(shown !== undefined && decodeHtml(shown).includes(bold), {
    summary: 'Marking one value safe turned escaping off for the others too.',
    expected: `<p class="text">${text.replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</p>`,
    received: JSON.stringify(/<p class="text">[^\n]*/.exec(response.text)?.[0] ?? '(no <p class="text">)'),
    hint: 'Safety belongs to a value, not to the page: only the SafeString skips escaping.',
  });
});

lesson.behaviour("fills a base layout with the child's blocks, keeping those the child leaves out", async (t) => {
  const name = `Ada${t.hex(3)}`;
  const response = await page(t, `/greet/?name=${name}&city=${t.hex(3)}`);
  expectElement(t, response, 'title', `Hello, ${name}`, {
    where: 'The <title> comes from base.html: a child that {% extends "base.html" %} renders as its parent.',
    summary: "The child's {% block title %} did not replace the one in base.html.",
    hint: "Collect the child's blocks by name; while rendering the parent, render the child's version of each block it has.",
  });
  t.check(/^<!doctype html>/i.test(response.text) && response.text.includes('<header>') && response.text.includes(`<h1>Hello, ${name}!</h1>`), {
    summary: "The page is not base.html's layout with the child's content inside.",
    expected: 'base.html (<!doctype html>, <header>…) with greet.html\'s <h1> in its content block',
    received: JSON.stringify(response.text.slice(0, 300)),
    hint: 'Render the parent template, not the child: the child only supplies blocks.',
  });
  t.check(!response.text.includes(baseHtml.content), {
    summary: "base.html's own content block was rendered although greet.html has its own.",
    expected: "only greet.html's content",
    received: `the page still says "${baseHtml.content}"`,
    hint: "A child's block replaces the parent's block of the same name: render one or the other.",
  });
  expectElement(t, response, 'footer', baseHtml.footer, {
    where: 'base.html has <footer>{% block footer %}…{% endblock %}</footer>.',
    summary: "The footer block, which greet.html leaves out, lost base.html's content.",
    hint: "A block the child does not define keeps the parent's content: it is a default, not a hole.",
  });
  t.check(!/\{%|%\}/.test(response.text), {
    summary: 'Template tags reached the page.',
    expected: 'no {% … %} in the HTML',
    received: JSON.stringify(/.{0,40}\{%.{0,40}/.exec(response.text)?.[0] ?? ''),
    hint: 'Every {% … %} is a tag to parse, never text to copy into the page.',
  });
  const about = await page(t, '/about/', "about.html starts {% extends 'base.html' %}: single quotes name the parent as double quotes do.");
  expectElement(t, about, 'title', 'About', {
    where: "about.html extends 'base.html' (in single quotes) and fills its title block.",
    summary: "GET /about/: the child's title block did not replace base.html's.",
    hint: "{% extends 'base.html' %} in single quotes names the parent too.",
  });
});

lesson.behaviour('extends a layout that extends another: three levels, the most derived block wins', async (t) => {
  const topic = `topic${t.hex(3)}`;
  const response = await page(t, `/help/?topic=${topic}`);
  expectElement(t, response, 'title', `Help: ${topic}`, {
    where: 'help.html extends section.html, which extends base.html: the <title> is base.html\'s.',
    summary: (title) =>
      title === 'Help'
        ? "section.html's title block won over help.html's: the most derived template must win."
        : "help.html's {% block title %} did not reach base.html's <title>.",
    hint: 'Going up from the child, keep the blocks you already have: a block from further down wins over the parent\'s own ({ ...parentBlocks, ...childBlocks }).',
  });
  t.check(/^<!doctype html>/i.test(response.text) && response.text.includes('<header>') && !response.text.includes(sectionHtml.outside), {
    summary: 'The page is not base.html: a template that extends one that extends another must render the top one.',
    expected: 'base.html (<!doctype html>, <header>…), with no text from outside section.html\'s blocks',
    received: JSON.stringify(response.text.slice(0, 300)),
    hint: 'After loading the parent, ask whether it extends something too, and go on up (a loop, or call the same function again) until a template extends nothing.',
  });
  const wanted: [string, RegExp, string, string][] = [
    ['the section\'s nav', /<nav id="section">([^<]*)<\/nav>/, sectionHtml.nav, "section.html's content block fills base.html's, and help.html does not replace it."],
    ['the article', /<p id="article">([^<]*)<\/p>/, `All about ${topic}.`, "help.html's article block sits inside section.html's content block: render the child's version there."],
    ['the aside', /<aside id="aside">([^<]*)<\/aside>/, sectionHtml.aside, 'help.html leaves out the aside block, so section.html\'s content stays.'],
    ['the footer', /<footer>([^<]*)<\/footer>/, baseHtml.footer, 'Neither help.html nor section.html has a footer block: base.html\'s stays.'],
  ];
  for (const [what, pattern, expected, hint] of wanted) {
    const got = find(t, response, pattern, what, hint);
    t.check(got === expected, {
      summary: `In a three-level page, ${what} is not right.`,
      expected,
      received: got,
      hint,
    });
  }
  t.check(!/\{[%#{]|[%#}]\}/.test(response.text), {
    summary: 'Template syntax reached the page.',
    expected: 'no {% … %}, {{ … }} or {# … #} in the HTML',
    received: JSON.stringify(/.{0,40}(\{[%#{]|[%#}]\}).{0,40}/.exec(response.text)?.[0] ?? ''),
    hint: 'A {# comment #} leaves nothing at all, and every {% … %} is a tag to parse.',
  });
});

lesson.behaviour('renders the template after the view, before the middleware on the way out', async (t) => {
  const response = await t.request({ path: `/greet/?name=${t.hex(3)}&city=${t.hex(3)}`, trace: true });
  t.expectStatus(response, 200, 'Your server output below says what went wrong.');
  const stages = t.lastTrace.map((e) => e.stage);
  const view = stages.indexOf('view');
  const render = stages.indexOf('render');
  const out = stages.indexOf('middleware:out');
  t.check(render !== -1 && view !== -1 && out !== -1 && view < render && render < out, {
    summary: 'The template was not rendered between the view and the way back out.',
    expected: 'view → template greet.html → middleware out',
    received: t.lastTrace.map((e) => `${e.stage} ${e.name}`).join(' → '),
    hint: 'The view returns a TemplateResponse; renderTemplateResponses (template-response.ts) renders it with your render() before any middleware sees the page.',
  });
});

lesson.behaviour('answers a broken template with a 500 that hides its source, and logs the syntax error', async (t) => {
  const mark = t.server.output.length;
  const response = await t.request({ path: '/broken/' });
  t.expectStatus(response, 500, 'broken.html opens {% for %} and never closes it: parsing it must throw, and the error becomes a 500.');
  t.check(!/\{%|\{\{|never closed|for item in items/.test(response.text), {
    summary: 'The error page shows the template source to the client.',
    expected: 'a plain error page, such as "Internal Server Error"',
    received: JSON.stringify(response.text.slice(0, 300)),
    hint: "Details of a broken template belong in the server log, where errorResponse puts them, never in the response.",
  });
  // The error's own line (TemplateSyntaxError: …), or one that says in other words that a tag is left open.
  const saysWhy = (lines: string[]) => lines.some((line) => /TemplateSyntaxError|unclosed|not closed|never closed|endfor|\bopen|unterminated|missing/i.test(line));
  const why = await syntaxErrorLogged(t, mark, saysWhy, {
    example: "TemplateSyntaxError: Unclosed tag on line 4: 'for'. Looking for one of: empty, endfor.",
    summary: 'The server log does not say what is wrong with the template.',
    hint: 'When the tokens run out while a tag is still open, throw a TemplateSyntaxError that names the tag, its line and the end tag it needs.',
    classHint: 'Throw the TemplateSyntaxError class that template.ts gives you, so the log says what kind of error it is.',
  });
  // "for" as a name, not the English word of "Looking for one of: endfor": quoted or bracketed
  // ('for', ‘for’, <for>, (for)), after "tag" or a colon ("tag: for", "on line 4: for"), after an article ("the for
  // opened on line 4": English never puts one before the preposition), or followed by "tag", "loop", "block", by
  // what a tag does ("for opened", "for without", "for still open") or by where it opens ("for on line 4", "for (line 4)").
  const namesFor =
    /(['"`])for\1|[<(\[{«‘“‹]\s*for\s*[>)\]}»’”›]|\{%\s*for\b|\bfor\s+(?:tag|loop|block)\b|\btag\s*[:=-]?\s*for\b|\b(?:unclosed|open|unterminated|the|an?|your)\s+for\b|:\s*for\s*(?:$|[,.;:(]|\s+(?:on|at|opened|started|from|in)\b)|\bfor\s*(?:\(|,|\s+(?:on|at|opened|started|from)\s+line\b)|\bfor\s+(?:opened|started|starting|begun|begins|without|still|was|is|has|needs|never)\b/i;
  t.check(why.some((line) => namesFor.test(line)), {
    summary: 'The syntax error does not name the tag left open, for.',
    expected: "TemplateSyntaxError: Unclosed tag on line 4: 'for'. Looking for one of: empty, endfor.",
    received: why.slice(0, 3).join('\n'),
    hint: "Name the opening tag in the message: the first word of the token that opened it ('for').",
  });
  t.check(why.some((line) => /\bL?4\b/.test(line)), {
    summary: 'The syntax error does not name line 4, where the unclosed {% for %} is.',
    expected: "TemplateSyntaxError: Unclosed tag on line 4: 'for'. Looking for one of: empty, endfor.",
    received: why.slice(0, 3).join('\n'),
    hint: 'Count lines while tokenizing (1, plus the line breaks before each token), and give the opening tag\'s line in the message.',
  });
  expectNoErrorDetails(t, response, why);
});

lesson.behaviour('answers a template with an unknown filter with a 500, and logs the syntax error', async (t) => {
  const mark = t.server.output.length;
  const response = await t.request({ path: '/typo/' });
  t.expectStatus(response, 500, 'typo.html uses {{ word|uper }}, and no filter is called uper: that is a TemplateSyntaxError, which becomes a 500.');
  t.check(!/\{\{|uper/.test(response.text), {
    summary: 'The error page shows the template source to the client.',
    expected: 'a plain error page, such as "Internal Server Error"',
    received: JSON.stringify(response.text.slice(0, 300)),
    hint: 'Details of a broken template belong in the server log, never in the response.',
  });
  const saysWhy = (lines: string[]) => lines.some((line) => /uper/.test(line));
  const why = await syntaxErrorLogged(t, mark, saysWhy, {
    example: "TemplateSyntaxError: Invalid filter on line 4: 'uper'.",
    summary: 'The server log does not say which filter is unknown.',
    hint: 'When parseExpression meets a filter name that is not in filters, throw a TemplateSyntaxError that names it; never skip it quietly.',
    classHint: 'An unknown filter is a mistake in the template: throw the TemplateSyntaxError class that template.ts gives you, so the log says what kind of error it is.',
  });
  expectNoErrorDetails(t, response, why);
});
