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

// ("LocalHost:3000", ['localhost']) -> true; ("api.roundtrip.test", ['.roundtrip.test']) -> true; ("evil.example", …) -> false
export function isAllowedHost(host: string | null, allowedHosts: string[]): boolean {
  if (!host) return false;
  // Host names are case-insensitive, and the port is not part of the name. "[::1]:3000" keeps its brackets.
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return allowedHosts.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern === '*') return true;
    // ".example.com" is example.com and every subdomain; keeping the dot keeps out "badexample.com".
    if (pattern.startsWith('.')) return name === pattern.slice(1) || name.endsWith(pattern);
    return name === pattern;
  });
}

// GET / with "Host: evil.example" -> 400 Bad Request, and nothing inside this layer runs
export function allowedHosts(hosts: string[]): Middleware {
  const hostCheck: Middleware = (next) => async (request) => {
    const host = request.headers.get('host');
    // Django raises DisallowedHost here, which becomes a 400: the client asked for a site we don't serve.
    if (!isAllowedHost(host, hosts)) return Response.text(`Bad Request: this server does not serve the host ${JSON.stringify(host)}.\n`, 400);
    return next(request);
  };
  return hostCheck;
}

// ---- 2. Security headers, Django's defaults -----------------------------------

const securityDefaults: Record<string, string> = {
  // SecurityMiddleware, SECURE_CONTENT_TYPE_NOSNIFF: trust our Content-Type, never guess.
  'X-Content-Type-Options': 'nosniff',
  // SecurityMiddleware, SECURE_REFERRER_POLICY: send the Referer only to our own origin.
  'Referrer-Policy': 'same-origin',
  // XFrameOptionsMiddleware, X_FRAME_OPTIONS: no other page may show ours in a frame.
  'X-Frame-Options': 'DENY',
};

// any response -> the same response, plus whichever of the three headers it lacks
export const securityHeaders: Middleware = (next) => async (request) => {
  const response = await next(request);
  for (const [name, value] of Object.entries(securityDefaults)) {
    // A view that chose its own value (a page meant to be framed) knows better: keep it.
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  return response;
};

// ---- 3. Timing and a log line -------------------------------------------------

// GET /me -> "Server-Timing: app;dur=0.8" on the response, and "GET /me 200 0.8ms" in the log
export const timing: Middleware = (next) => async (request) => {
  const started = performance.now();
  // next never throws: compose turns an error anywhere inside into a response first.
  const response = await next(request);
  const ms = (performance.now() - started).toFixed(1);
  // Append, not set: a view may report metrics of its own (db;dur=12).
  response.headers.append('Server-Timing', `app;dur=${ms}`);
  console.log(`${request.method} ${request.path} ${response.status} ${ms}ms`);
  return response;
};

// ---- 4. HTTP Basic authentication (RFC 7617) -----------------------------------

// "Basic YWRhOmFuYWx5dGljYWwtZW5naW5l" -> { username: 'ada', password: 'analytical-engine' }; anything else -> undefined
export function parseBasicAuth(header: string | null): Credentials | undefined {
  // The scheme name is case-insensitive; the credentials are one base64 token.
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header ?? '');
  if (!match) return undefined;
  // Our challenge says charset="UTF-8", so clients encode "zoë" as UTF-8: decode it the same way.
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  // A user-id cannot contain a colon, but a password can: split at the first one only.
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// GET /me without valid credentials -> 401 with a Basic challenge; with them, request.state 'user' -> { username: 'ada' }
export function basicAuth(users: Users, protectedPaths: string[]): Middleware {
  const authentication: Middleware = (next) => async (request) => {
    const credentials = parseBasicAuth(request.headers.get('authorization'));
    const expected = credentials && users.get(credentials.username);
    if (credentials && expected !== undefined && samePassword(credentials.password, expected)) {
      const user: User = { username: credentials.username };
      request.state.set('user', user);
    } else if (isProtected(request.path, protectedPaths)) {
      const response = Response.text('Unauthorized: sign in with your username and password.\n', 401);
      // A 401 must say how to authenticate (RFC 9110, section 11.6.1); browsers then ask for a password.
      response.headers.set('WWW-Authenticate', 'Basic realm="Roundtrip", charset="UTF-8"');
      return response;
    }
    // Public paths go on with or without a user, like Django's AnonymousUser.
    return next(request);
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
