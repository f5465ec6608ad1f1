// Lesson 11: a script, served by your serveStatic as text/javascript.
// A browser runs it only if its Content-Type says it is JavaScript.
const note = document.querySelector('#script');
if (note) note.textContent = 'app.js ran: the script arrived, with a type the browser accepts.';
