// Roundtrip's lesson site: copy buttons on code, and search as you type.
// Plain script, no network: the search index is search-index.js, loaded
// beside this file. Everything here is an extra; the pages read fine without.
'use strict';

function addCopyButtons() {
  for (const pre of document.querySelectorAll('pre.code')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy this code');
    button.addEventListener('click', async () => {
      const text = pre.querySelector('code').textContent;
      const done = (label) => {
        button.textContent = label;
        setTimeout(() => (button.textContent = 'Copy'), 1500);
      };
      try {
        await navigator.clipboard.writeText(text);
        done('Copied');
      } catch {
        // Some browsers refuse the clipboard API to pages opened from disk: select the text instead.
        const range = document.createRange();
        range.selectNodeContents(pre.querySelector('code'));
        const selection = getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        done(document.execCommand('copy') ? 'Copied' : 'Press Ctrl+C');
      }
    });
    wrap(pre, button);
  }
}

/** A box around a code block, so the button stays put while the code scrolls sideways. */
function wrap(pre, button) {
  const box = document.createElement('div');
  box.className = 'code-box';
  pre.replaceWith(box);
  box.append(button, pre);
}

function words(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Sections where every word of the query occurs; a match in the heading ranks first. */
function search(query) {
  const wanted = words(query);
  if (!wanted.length) return [];
  const found = [];
  for (const section of window.roundtripSearch || []) {
    const heading = section.heading.toLowerCase();
    const text = section.text.toLowerCase();
    if (!wanted.every((w) => heading.includes(w) || text.includes(w))) continue;
    const score = wanted.filter((w) => heading.includes(w)).length * 10 + wanted.filter((w) => text.includes(w)).length;
    found.push({ section, score });
  }
  return found.sort((a, b) => b.score - a.score).slice(0, 12).map((f) => f.section);
}

function snippet(text, query) {
  const first = words(query)[0];
  const at = Math.max(0, text.toLowerCase().indexOf(first) - 60);
  return (at > 0 ? '…' : '') + text.slice(at, at + 160) + (text.length > at + 160 ? '…' : '');
}

function setUpSearch() {
  const box = document.getElementById('search-box');
  const list = document.querySelector('.search-results');
  if (!box || !list) return;
  box.addEventListener('input', () => {
    list.replaceChildren();
    const results = search(box.value);
    if (box.value.trim() && !results.length) {
      const none = document.createElement('li');
      none.className = 'none';
      none.textContent = 'No section mentions that.';
      list.append(none);
    }
    for (const section of results) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = section.href;
      const title = document.createElement('strong');
      title.textContent = section.heading;
      const where = document.createElement('span');
      where.className = 'where';
      where.textContent = section.lesson;
      const text = document.createElement('span');
      text.className = 'snippet';
      text.textContent = snippet(section.text, box.value);
      link.append(title, where, text);
      item.append(link);
      list.append(item);
    }
  });
}

/** On a phone the lesson list starts folded, so the lesson itself comes first. */
function foldChaptersOnPhones() {
  const chapters = document.querySelector('.sidebar .chapters');
  if (chapters && matchMedia('(max-width: 48rem)').matches) chapters.open = false;
}

addCopyButtons();
setUpSearch();
foldChaptersOnPhones();
