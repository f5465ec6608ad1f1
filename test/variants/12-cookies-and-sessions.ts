import type { Variant } from '../support/mutants.ts';

export default [
  {
    name: 'writes the flags before the other attributes, SameSite in lower case, and renews the csrftoken cookie on every page that uses it, as Django does',
    edits: [
      { file: 'cookies.ts', find: "  if (options.httpOnly) parts.push('HttpOnly');\n  if (options.secure) parts.push('Secure');\n", replace: '' },
      {
        file: 'cookies.ts',
        find: '  const parts = [`${name}=${value}`];\n',
        replace: "  const parts = [`${name}=${value}`];\n  if (options.httpOnly) parts.push('HttpOnly');\n  if (options.secure) parts.push('Secure');\n",
      },
      { file: 'cookies.ts', find: 'parts.push(`SameSite=${options.sameSite}`);', replace: 'parts.push(`SameSite=${options.sameSite.toLowerCase()}`);' },
      { file: 'csrf.ts', find: "if (typeof token === 'string' && token !== cookieToken) {", replace: "if (typeof token === 'string') {" },
    ],
  },
  {
    name: 'sends visitors to /login?next=/account, redirects home with an absolute URL, and reads the session cookie with one regular expression',
    edits: [
      {
        find: "if (!username) return Response.redirect('/login', 302);",
        replace: "if (!username) return Response.redirect(`/login?next=${encodeURIComponent(request.path)}`, 302);",
      },
      {
        find: "return Response.redirect('/', 303);\n}\n\n// GET /account",
        replace: "return Response.redirect(`http://${request.headers.get('host') ?? 'localhost'}/`, 303);\n}\n\n// GET /account",
      },
      {
        file: 'sessions.ts',
        find: "  const [payload = '', stamp = ''] = value.split(':');\n",
        replace: "  const match = /^([A-Za-z0-9_-]*):(\\d+)$/.exec(value);\n  if (!match) return undefined;\n  const [, payload = '', stamp = ''] = match;\n",
      },
      {
        file: 'sessions.ts',
        find: "if (!/^\\d+$/.test(stamp) || now / 1000 - Number(stamp) > maxAge) return undefined;",
        replace: 'if (Math.floor(now / 1000) - Number(stamp) > maxAge) return undefined;',
      },
    ],
  },
  {
    name: 'reads the form\'s media type up to the ";", checks names by the characters a token excludes, and rotates the CSRF token at logout too',
    edits: [
      {
        file: 'csrf.ts',
        find: 'if (/^application\\/x-www-form-urlencoded\\b/i.test(type)) {',
        replace: "if (type.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded') {",
      },
      {
        file: 'cookies.ts',
        find: "const cookieName = /^[!#$%&'*+\\-.^_`|~0-9A-Za-z]+$/;",
        replace: 'const cookieName = /^[^\\x00-\\x20\\x7f-\\uffff()<>@,;:\\\\"/[\\]?={}]+$/;',
      },
      {
        file: 'server.ts',
        find: "  getSession(request).flush();\n  return Response.redirect('/', 303);",
        replace: "  getSession(request).flush();\n  rotateCsrfToken(request);\n  return Response.redirect('/', 303);",
      },
    ],
  },
  {
    name: 'writes attribute names in lower case without spaces, adds Expires to the session cookie, deletes it with Max-Age=0 alone, and escapes the username with hex references',
    edits: [
      { file: 'cookies.ts', find: 'parts.push(`Path=${', replace: 'parts.push(`path=${' },
      { file: 'cookies.ts', find: 'parts.push(`Domain=${', replace: 'parts.push(`domain=${' },
      { file: 'cookies.ts', find: 'parts.push(`Max-Age=${options.maxAge}`);', replace: 'parts.push(`max-age=${options.maxAge}`);' },
      { file: 'cookies.ts', find: 'parts.push(`Expires=${', replace: 'parts.push(`expires=${' },
      { file: 'cookies.ts', find: "parts.push('HttpOnly');", replace: "parts.push('httponly');" },
      { file: 'cookies.ts', find: "parts.push('Secure');", replace: "parts.push('secure');" },
      { file: 'cookies.ts', find: 'parts.push(`SameSite=${options.sameSite}`);', replace: 'parts.push(`samesite=${options.sameSite.toLowerCase()}`);' },
      { file: 'cookies.ts', find: "return parts.join('; ');", replace: "return parts.join(';');" },
      {
        file: 'sessions.ts',
        find: 'serializeCookie(cookieName, dumps(session.data, secret), { ...attributes, maxAge })',
        replace: 'serializeCookie(cookieName, dumps(session.data, secret), { ...attributes, maxAge, expires: new Date(Date.now() + maxAge * 1000) })',
      },
      {
        file: 'sessions.ts',
        find: "if (cookie !== undefined) response.headers.append('set-cookie', expiredCookie(cookieName, attributes));",
        replace: "if (cookie !== undefined) response.headers.append('set-cookie', serializeCookie(cookieName, 'gone', { path: '/', maxAge: 0 }));",
      },
      {
        file: 'server.ts',
        find: '<strong>${escapeHtml(username)}</strong>.</p>',
        replace: "<strong>${username.replace(/[&<>\"']/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`)}</strong>.</p>",
      },
    ],
  },
  {
    // Round 19: this variant compared the signatures as decoded base64url bytes, which lets a changed cookie in
    // (the decoder skips characters outside its alphabet and the unused bits of the last one): now a mutant.
    name: 'compares HMACs of the two signature texts, equal in length whatever was sent, and checks the timestamp with Number.isSafeInteger',
    edits: [
      {
        file: 'sessions.ts',
        find: '  const given = Buffer.from(signed.slice(colon + 1));\n  const expected = Buffer.from(signature(value, secret));',
        replace: "  const digest = (text: string) => createHmac('sha256', 'compare').update(text, 'utf8').digest();\n  const given = digest(signed.slice(colon + 1));\n  const expected = digest(signature(value, secret));",
      },
      {
        file: 'sessions.ts',
        find: "if (!/^\\d+$/.test(stamp) || now / 1000 - Number(stamp) > maxAge) return undefined;",
        replace: 'const issued = /^[0-9]+$/.test(stamp) ? Number(stamp) : NaN;\n  if (!Number.isSafeInteger(issued) || Math.floor(now / 1000) - issued > maxAge) return undefined;',
      },
    ],
  },
  {
    name: 'writes Secure before HttpOnly at the end, and checks SameSite without regard to case (None without Secure too)',
    edits: [
      { file: 'cookies.ts', find: "  if (options.httpOnly) parts.push('HttpOnly');\n  if (options.secure) parts.push('Secure');\n", replace: '' },
      { file: 'cookies.ts', find: "  return parts.join('; ');", replace: "  if (options.secure) parts.push('Secure');\n  if (options.httpOnly) parts.push('HttpOnly');\n  return parts.join('; ');" },
      { file: 'cookies.ts', find: "if (!['Strict', 'Lax', 'None'].includes(options.sameSite))", replace: "if (!['strict', 'lax', 'none'].includes(options.sameSite.toLowerCase()))" },
      // Browsers read the value without regard to case too, and drop "SameSite=none" without Secure as they drop "None".
      { file: 'cookies.ts', find: "if (options.sameSite === 'None' && !options.secure)", replace: "if (options.sameSite.toLowerCase() === 'none' && !options.secure)" },
    ],
  },
  {
    name: 'sends visitors without a session to /login with 303 See Other',
    edits: [{ file: 'server.ts', find: "if (!username) return Response.redirect('/login', 302);", replace: "if (!username) return Response.redirect('/login', 303);" }],
  },
  {
    name: "decodes the payload with Buffer's 'base64', which reads base64url too",
    edits: [{ file: 'sessions.ts', find: "JSON.parse(Buffer.from(payload, 'base64url')", replace: "JSON.parse(Buffer.from(payload, 'base64')" }],
  },
  {
    name: 'splits payload and timestamp at the last ":", and takes an empty form field as the token it is',
    edits: [
      { file: 'sessions.ts', find: "const [payload = '', stamp = ''] = value.split(':');", replace: "const payload = value.slice(0, value.lastIndexOf(':'));\n  const stamp = value.slice(value.lastIndexOf(':') + 1);" },
      { file: 'csrf.ts', find: 'if (field) return field;', replace: 'if (field !== null) return field;' },
    ],
  },
  {
    name: 'reads the login form with Object.fromEntries, and refuses a missing field with the error before checkPassword',
    edits: [
      {
        file: 'server.ts',
        find: "  const form = new URLSearchParams(request.body.toString('utf8'));\n  const username = form.get('username') ?? '';\n  if (!checkPassword(username, form.get('password') ?? '')) {",
        replace: "  const { username, password }: Record<string, string | undefined> = Object.fromEntries(new URLSearchParams(request.body.toString('utf8')));\n  if (username === undefined || password === undefined || !checkPassword(username, password)) {",
      },
    ],
  },
  {
    name: 'writes the session JSON with every non-ASCII character as a \\u escape, and reads the CSRF field with a hand-written parser that keeps a "%" starting no escape',
    alone: 'its parser gives undefined for a missing field, where "takes an empty form field as the token it is" expects the null of URLSearchParams',
    edits: [
      {
        file: 'sessions.ts',
        find: "const payload = Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');",
        replace: "const ascii = JSON.stringify(data).replace(/[\\u007f-\\uffff]/g, (c) => `\\\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);\n  const payload = Buffer.from(ascii, 'ascii').toString('base64url');",
      },
      {
        file: 'csrf.ts',
        find: "    const field = new URLSearchParams(request.body.toString('utf8')).get(CSRF_FIELD_NAME);",
        replace: "    const decode = (part: string) => part.replaceAll('+', ' ').replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {\n      try {\n        return decodeURIComponent(run);\n      } catch {\n        return run;\n      }\n    });\n    const pairs = request.body.toString('utf8').split('&').map((pair) => (pair.includes('=') ? pair.slice(0, pair.indexOf('=')) : pair) + '\\u0000' + (pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : ''));\n    const field = pairs.map((pair) => pair.split('\\u0000').map(decode)).find(([key]) => key === CSRF_FIELD_NAME)?.[1];",
      },
    ],
  },
  {
    name: 'redirects with relative references (account, ./, login), which a browser resolves against the URL of the request',
    edits: [
      { file: 'server.ts', find: "return Response.redirect('/account', 303);", replace: "return Response.redirect('account', 303);" },
      { file: 'server.ts', find: "  getSession(request).flush();\n  return Response.redirect('/', 303);", replace: "  getSession(request).flush();\n  return Response.redirect('./', 303);" },
      { file: 'server.ts', find: "if (!username) return Response.redirect('/login', 302);", replace: "if (!username) return Response.redirect('login?next=account', 302);" },
    ],
  },
  {
    name: 'follows a "next" from the query after login and logout, as Django does, only when it is a path on this site',
    edits: [
      {
        file: 'server.ts',
        find: "return Response.redirect('/account', 303);",
        replace: "return Response.redirect(sameSitePath(request.query.get('next')) ?? '/account', 303);",
      },
      {
        file: 'server.ts',
        find: "  getSession(request).flush();\n  return Response.redirect('/', 303);\n}",
        replace:
          "  getSession(request).flush();\n  return Response.redirect(sameSitePath(request.query.get('next')) ?? '/', 303);\n}\n\n/** A next that stays on this site: one \"/\", then neither \"/\" nor \"\\\\\" (which browsers read as another host). */\nfunction sameSitePath(next: string | null): string | undefined {\n  return next !== null && /^\\/(?![\\/\\\\])/.test(next) && !/[\\x00-\\x1f]/.test(next) ? next : undefined;\n}",
      },
    ],
  },
  {
    name: 'checks the age against a deadline in milliseconds, after an await',
    edits: [
      {
        file: 'sessions.ts',
        find: "if (!/^\\d+$/.test(stamp) || now / 1000 - Number(stamp) > maxAge) return undefined;",
        replace: 'if (!/^[0-9]+$/.test(stamp)) return undefined;\n  const deadline = (Number(stamp) + maxAge) * 1000;\n  if (deadline < now) return undefined;',
      },
      {
        file: 'sessions.ts',
        find: '    const response = await next(request);\n',
        replace: '    await Promise.resolve();\n    const response = await next(request);\n',
      },
    ],
  },
  {
    name: 'counts the age in whole seconds rounded up, and refuses only more than maxAge (the same rule as the exact age, since the deadline is a whole second)',
    edits: [
      {
        file: 'sessions.ts',
        find: 'now / 1000 - Number(stamp) > maxAge',
        replace: 'Math.ceil(now / 1000) - Number(stamp) > maxAge',
      },
    ],
  },
  {
    name: "deletes the session cookie whenever the request carried one and the session is empty, on any response (Django's SessionMiddleware does), and rounds the age to the nearest second of new Date()",
    edits: [
      {
        file: 'sessions.ts',
        find: "    if (!session.modified) return response;\n    if (session.isEmpty) {\n      // Flushed (logout): ask the browser to delete the cookie, with the same Path it was set with.\n      if (cookie !== undefined) response.headers.append('set-cookie', expiredCookie(cookieName, attributes));\n    } else {",
        replace: "    if (cookie !== undefined && session.isEmpty) {\n      response.headers.append('set-cookie', expiredCookie(cookieName, attributes));\n    } else if (session.modified && !session.isEmpty) {",
      },
      { file: 'sessions.ts', find: 'now / 1000 - Number(stamp) > maxAge', replace: 'Math.round(new Date().getTime() / 1000) - Number(stamp) > maxAge' },
    ],
  },
  {
    name: 'answers a wrong password with 422 and the form with its error, and counts the age in whole seconds rounded down, refusing it from maxAge on',
    edits: [
      {
        file: 'server.ts',
        find: "    return loginPage(request, 'That username and password do not match. Please try again.');",
        replace: "    const refused = loginPage(request, 'That username and password do not match. Please try again.');\n    refused.status = 422;\n    return refused;",
      },
      { file: 'sessions.ts', find: 'now / 1000 - Number(stamp) > maxAge', replace: 'Math.floor(now / 1000) - Number(stamp) >= maxAge' },
    ],
  },
  {
    name: 'follows a "next" from the form or the query after login and logout only when a URL parser, as a browser reads it, keeps it on this site',
    edits: [
      {
        file: 'server.ts',
        find: "return Response.redirect('/account', 303);",
        replace: "return Response.redirect(onSite(form.get('next') ?? request.query.get('next')) ?? '/account', 303);",
      },
      {
        file: 'server.ts',
        find: "  getSession(request).flush();\n  return Response.redirect('/', 303);\n}",
        replace:
          "  getSession(request).flush();\n  return Response.redirect(onSite(new URLSearchParams(request.body.toString('utf8')).get('next') ?? request.query.get('next')) ?? '/', 303);\n}\n\n/** The path a \"next\" leads to, read as a browser reads it (tabs dropped, \"\\\\\" as \"/\"), when that is on this site. */\nfunction onSite(next: string | null): string | undefined {\n  if (next === null) return undefined;\n  const base = new URL('http://site.invalid/');\n  const url = new URL(next, base);\n  return url.origin === base.origin ? url.pathname + url.search : undefined;\n}",
      },
    ],
  },
  {
    name: 'follows a "next" from the form or the query after login and logout when it is "/" then neither "/" nor "\\", percent-encoded with encodeURI, so "/<tab>/evil.example/" becomes the path "/%09/evil.example/" on this site',
    edits: [
      {
        file: 'server.ts',
        find: "return Response.redirect('/account', 303);",
        replace: "return Response.redirect(localPath(form.get('next') ?? request.query.get('next')) ?? '/account', 303);",
      },
      {
        file: 'server.ts',
        find: "  getSession(request).flush();\n  return Response.redirect('/', 303);\n}",
        replace:
          "  getSession(request).flush();\n  return Response.redirect(localPath(new URLSearchParams(request.body.toString('utf8')).get('next') ?? request.query.get('next')) ?? '/', 303);\n}\n\n/** A next that is a path on this site, percent-encoded so that no control character or space reaches the Location header. */\nfunction localPath(next: string | null): string | undefined {\n  return next !== null && /^\\/(?![\\/\\\\])/.test(next) ? encodeURI(next) : undefined;\n}",
      },
    ],
  },
  {
    name: 'accepts a cookie value in double quotes, as RFC 6265 allows for a cookie-value (round 19, an independent solution)',
    edits: [
      {
        file: 'cookies.ts',
        find: '  if (!cookieValue.test(value)) throw',
        replace: "  const quoted = value.length >= 2 && value.startsWith('\"') && value.endsWith('\"');\n  if (!cookieValue.test(quoted ? value.slice(1, -1) : value)) throw",
      },
    ],
  },
  {
    // Round 22: "zoë" written "zo&euml;" was refused, the account page read as bytes, not as a browser shows it.
    name: 'escapes the username on the account page with a named reference for "ë" and numeric ones for every other character but letters and digits, writes the logout field with single-quoted and unquoted attributes in another order, and keeps the login time in the session',
    edits: [
      {
        file: 'server.ts',
        find: '<strong>${escapeHtml(username)}</strong>.</p>',
        replace: "<strong>${username.replace(/[^A-Za-z0-9]/g, (c) => (c === 'ë' ? '&euml;' : `&#${c.codePointAt(0)};`))}</strong>.</p>",
      },
      {
        file: 'server.ts',
        find: '`<form method="post" action="/logout">${csrfField(request)}<button>Log out</button></form>`',
        replace: "`<form method='post' action='/logout'><input value='${getCsrfToken(request).replace(/[^A-Za-z0-9]/g, (c) => `&#${c.codePointAt(0)};`)}' type=hidden name=csrfmiddlewaretoken><button>Log out</button></form>`",
      },
      { file: 'server.ts', find: "  session.set('username', username);\n", replace: "  session.set('username', username);\n  session.set('loginAt', Math.floor(Date.now() / 1000));\n" },
    ],
  },
] satisfies Variant[];
