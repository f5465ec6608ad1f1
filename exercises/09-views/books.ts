// Lesson 09: the data behind the views, a few books kept in memory while the
// server runs. Django would keep them in a database, behind Book.objects.
// You don't need to change this file: the grader knows these five books
// (provided/fixtures/09-views.ts, which it reads too).
import { firstBooks } from '#provided/fixtures/09-views.ts';

export interface Book {
  id: number;
  title: string;
  author: string;
  year: number;
}

const shelf = new Map<number, Book>();
const pdfs = new Map<number, Buffer>();

export const books = {
  all(): Book[] {
    return [...shelf.values()];
  },

  get(id: number): Book | undefined {
    return shelf.get(id);
  },

  create(fields: Omit<Book, 'id'>): Book {
    const book = { id: shelf.size + 1, ...fields };
    shelf.set(book.id, book);
    return book;
  },

  /** The PDF uploaded for a book, byte for byte, if there is one. */
  pdf(id: number): Buffer | undefined {
    return pdfs.get(id);
  },

  /** Keeps `bytes` as the book's PDF. True when the book had no PDF before. */
  setPdf(id: number, bytes: Buffer): boolean {
    const isNew = !pdfs.has(id);
    pdfs.set(id, bytes);
    return isNew;
  },
};

for (const book of firstBooks) books.create({ ...book });
