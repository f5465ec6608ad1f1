// Lesson 07: a tiny site behind the four middleware of middleware.ts, put in
// order with the provided compose(). Which order, and why, is half the lesson.
import { compose } from '#provided/compose.ts';
import { Response, type Middleware, type Request } from '#provided/http.ts';
import { path, router } from '#provided/router.ts';
import { greeting, users } from '#provided/fixtures/07-middleware-in-practice.ts';
import { serve } from '#provided/serve.ts';
import { allowedHosts, basicAuth, securityHeaders, timing, type User, type Users } from './middleware.ts';

// Don't change these three: the grader relies on them.
// Like Django's ALLOWED_HOSTS: exact names, and ".roundtrip.test" for that domain and all its subdomains.
const ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]', '.roundtrip.test'];
// Paths (and everything under them) that need a signed-in user; the rest is public.
const PROTECTED_PATHS = ['/me'];
// The users and their passwords, from a file the grader reads too.
const USERS: Users = new Map(users);

// TODO: Put the four middleware in order, outermost first: a request meets them
// top to bottom, its response passes them bottom to top. The lesson explains how to choose.
const middleware: Middleware[] = [
  allowedHosts(ALLOWED_HOSTS),
  securityHeaders,
  timing,
  basicAuth(USERS, PROTECTED_PATHS),
];

// Don't change anything below this line: the views the grader asks for.

// GET / -> {"message":"Hello from Roundtrip","user":null}, or the user's name when signed in
function home(request: Request): Response {
  const user = request.state.get('user') as User | undefined;
  return Response.json({ message: greeting, user: user?.username ?? null });
}

// GET /me -> {"username":"ada"}: basicAuth lets only signed-in users get this far
function me(request: Request): Response {
  const user = request.state.get('user') as User;
  return Response.json({ username: user.username });
}

// GET /embed -> a page this site may show in a frame. The view sets headers of its own, which the
// middleware must keep: X-Frame-Options, Referrer-Policy and a Server-Timing metric.
function embed(): Response {
  const started = performance.now();
  const response = Response.html('<p>This page may be shown in a frame on this site.</p>\n');
  response.headers.set('X-Frame-Options', 'SAMEORIGIN');
  // Links inside the frame tell nobody where they were followed from.
  response.headers.set('Referrer-Policy', 'no-referrer');
  response.headers.append('Server-Timing', `render;dur=${(performance.now() - started).toFixed(1)}`);
  return response;
}

const routes = [
  path('', home, { name: 'home', methods: ['GET'] }),
  path('me', me, { name: 'me', methods: ['GET'] }),
  path('embed', embed, { name: 'embed', methods: ['GET'] }),
];

serve(compose(middleware, router(routes)));
