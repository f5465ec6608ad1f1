// Lesson 13: the guestbook's entries, kept in memory while the server runs.
// Django would keep them in a database table, behind a model (Entry.objects).
// You don't need to change this file.

export interface Entry {
  id: number;
  name: string;
  message: string;
  /** When it was written, in UTC: '2026-11-24 23:10 UTC'. */
  written: string;
}

const stored: Entry[] = [];

export const guestbook = {
  /** Every entry, oldest first: the order they were written in. */
  all(): Entry[] {
    return [...stored];
  },

  add(fields: { name: string; message: string }): Entry {
    const written = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const entry = { id: stored.length + 1, ...fields, written };
    stored.push(entry);
    return entry;
  },
};
