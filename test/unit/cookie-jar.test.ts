// The Set-Cookie parser and what a browser keeps, for the lessons on cookies
// and sessions.
import { describe, expect, test } from 'vitest';
import { deletes, formToken, parseSetCookie } from '../../grader/engine/cookie-jar.ts';

describe('parseSetCookie', () => {
  test('name, value and attributes, names in lower case, flags with an empty value', () => {
    const cookie = parseSetCookie('sessionid=abc123; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600');
    expect(cookie.name).toBe('sessionid');
    expect(cookie.value).toBe('abc123');
    expect([...cookie.attributes]).toEqual([['path', '/'], ['httponly', ''], ['samesite', 'Lax'], ['max-age', '3600']]);
    expect(cookie.line).toBe('sessionid=abc123; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600');
  });

  test('a value may hold "=" (signed values, base64)', () => {
    expect(parseSetCookie('token=a=b==; Path=/').value).toBe('a=b==');
  });

  test('spaces around names, values and attributes are trimmed', () => {
    const cookie = parseSetCookie(' theme = dark ;  Secure ; Domain = example.com ');
    expect([cookie.name, cookie.value]).toEqual(['theme', 'dark']);
    expect(cookie.attributes.get('secure')).toBe('');
    expect(cookie.attributes.get('domain')).toBe('example.com');
  });

  test('an Expires date keeps its comma', () => {
    expect(parseSetCookie('a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT').attributes.get('expires')).toBe('Wed, 21 Oct 2015 07:28:00 GMT');
  });

  test('an empty value, and a pair without "="', () => {
    expect(parseSetCookie('sessionid=; Max-Age=0')).toMatchObject({ name: 'sessionid', value: '' });
    expect(parseSetCookie('lonely')).toMatchObject({ name: 'lonely', value: '' });
  });
});

describe('deletes', () => {
  test('Max-Age of 0 or less deletes, and wins over Expires', () => {
    expect(deletes(parseSetCookie('a=; Max-Age=0'))).toBe(true);
    expect(deletes(parseSetCookie('a=; Max-Age=-1'))).toBe(true);
    expect(deletes(parseSetCookie('a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT'))).toBe(false);
  });

  test('an Expires in the past deletes; none keeps the cookie for the session', () => {
    expect(deletes(parseSetCookie('a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT'))).toBe(true);
    expect(deletes(parseSetCookie('a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT'))).toBe(false);
    expect(deletes(parseSetCookie('a=1; Path=/'))).toBe(false);
  });
});

test('formToken finds the hidden CSRF field, whatever the attribute order and quotes', () => {
  expect(formToken('<form><input type="hidden" name="csrfmiddlewaretoken" value="t0k3n"></form>')).toBe('t0k3n');
  expect(formToken("<input value='abc' name=csrfmiddlewaretoken type=hidden>")).toBe('abc');
  expect(formToken('<input name="other" value="x">')).toBeUndefined();
  // A quoted attribute may hold ">" (HTML does not ask for it to be escaped there), before or after the name.
  expect(formToken('<input title="a -> b" type="hidden" name="csrfmiddlewaretoken" value="t0k3n">')).toBe('t0k3n');
  expect(formToken('<input type=hidden value=\'x>y\' name="csrfmiddlewaretoken"><input name="csrfmiddlewaretoken" value="late">')).toBe('x>y');
});
