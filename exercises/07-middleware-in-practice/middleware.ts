// Lesson 07: four middleware a real site runs on every request. Each is a
// Middleware: given the next handler inward, it returns a handler that may act
// on the way in, answer by itself, or change the response on the way out.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Response, type Middleware } from '#provided/http.ts';

/** Usernames and their passwords. */
export type Users = Map<string, string>;

/** Who sent the request, as basicAuth puts it in request.state for the view. */
export interface User {
  username: string;
}

export interface Credentials {
  username: string;
  password: string;
}

// ---- 1. The host check, like Django's ALLOWED_HOSTS --------------------------

// TODO: Say whether the Host header names an allowed host: ignore the port and
// letter case; an entry starting with "." allows that domain and its subdomains.
// ("LocalHost:3000", ['localhost']) -> true; ("api.roundtrip.test", ['.roundtrip.test']) -> true; ("evil.example", …) -> false
export function isAllowedHost(host: string | null, allowedHosts: string[]): boolean {
  throw new Error('TODO: compare the Host with the allowed hosts (isAllowedHost in middleware.ts)');
}

// TODO: Answer 400 Bad Request, without calling next, unless the Host is allowed.
// GET / with "Host: evil.example" -> 400 Bad Request, and nothing inside this layer runs
export function allowedHosts(hosts: string[]): Middleware {
  const hostCheck: Middleware = (next) => async (request) => {
    throw new Error('TODO: refuse requests for hosts we do not serve (allowedHosts in middleware.ts)');
  };
  return hostCheck;
}

// ---- 2. Security headers, Django's defaults -----------------------------------

// TODO: On the way out, add X-Content-Type-Options: nosniff, Referrer-Policy:
// same-origin and X-Frame-Options: DENY to every response, unless it already has that header.
// any response -> the same response, plus whichever of the three headers it lacks
export const securityHeaders: Middleware = (next) => async (request) => {
  throw new Error('TODO: add the security headers on the way out (securityHeaders in middleware.ts)');
};

// ---- 3. Timing and a log line -------------------------------------------------

// TODO: Time the layers inside; add a Server-Timing header and log one line with
// the method, the path, the status and the duration.
// GET /me -> "Server-Timing: app;dur=0.8" on the response, and "GET /me 200 0.8ms" in the log
export const timing: Middleware = (next) => async (request) => {
  throw new Error('TODO: time the request, add Server-Timing and log it (timing in middleware.ts)');
};

// ---- 4. HTTP Basic authentication (RFC 7617) -----------------------------------

// TODO: Decode "Basic <base64 of username:password>". Return undefined for
// anything you cannot read: never throw.
// "Basic YWRhOmFuYWx5dGljYWwtZW5naW5l" -> { username: 'ada', password: 'analytical-engine' }; anything else -> undefined
export function parseBasicAuth(header: string | null): Credentials | undefined {
  throw new Error('TODO: decode the Basic credentials (parseBasicAuth in middleware.ts)');
}

// TODO: With valid credentials, set request.state's 'user' to { username }. On a
// protected path without them, answer 401 with the header
// WWW-Authenticate: Basic realm="Roundtrip", charset="UTF-8". Let the rest through.
// GET /me without valid credentials -> 401 with a Basic challenge; with them, request.state 'user' -> { username: 'ada' }
export function basicAuth(users: Users, protectedPaths: string[]): Middleware {
  const authentication: Middleware = (next) => async (request) => {
    throw new Error('TODO: check the credentials, or answer 401 (basicAuth in middleware.ts)');
  };
  return authentication;
}

// Helpers: use them as they are.

/** Compares in constant time, so the time taken does not leak how much of a guess was right. */
export function samePassword(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** "/me" and "/me/settings" are under "/me"; "/meow" is not. */
export function isProtected(path: string, protectedPaths: string[]): boolean {
  return protectedPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}
