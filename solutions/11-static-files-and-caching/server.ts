// Lesson 11: a small site whose stylesheet, script and images come from
// static/, through your serveStatic. GET / is a page that uses them all.
// You don't need to change this file.
import path from 'node:path';
import { compose } from '#provided/compose.ts';
import { HttpError, Response, type Handler } from '#provided/http.ts';
import { serve } from '#provided/serve.ts';
import { traceStep } from '#provided/trace.ts';
import { serveStatic } from './static.ts';

// Only static/ is public. secret.txt and static-private/ sit next to it on
// purpose: the grader tries every way it knows to reach them.
const root = path.join(import.meta.dirname, 'static');

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lesson 11 · Static files</title>
  <link rel="stylesheet" href="/static/css/site.css">
  <script src="/static/js/app.js" defer></script>
</head>
<body>
  <h1><img src="/static/img/logo.svg" alt="" width="32" height="32"> Static files</h1>
  <p id="script">If this sentence stays, app.js did not run.</p>
  <p><img src="/static/img/dot.png" alt="a red dot" width="16" height="16"> A PNG, byte for byte.</p>
  <p>Plain files: <a href="/static/hello.txt">hello.txt</a>, <a href="/static/50%25-off.txt">50%-off.txt</a>,
    <a href="/static/mystery.qqq">mystery.qqq</a>.</p>
</body>
</html>
`;

// GET / -> the page above; anything else that gets past serveStatic -> 404.
const home: Handler = async (request) => {
  traceStep('view', 'home');
  if (request.path === '/') return Response.html(page);
  throw new HttpError(404, 'Not Found');
};

serve(compose([serveStatic(root, '/static/')], home));
