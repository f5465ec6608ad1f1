// Lesson 09: the data behind the views, a few books kept in memory while the
// server runs. Django would keep them in a database, behind Book.objects.
// You don't need to change this file: the grader knows these five books.

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

books.create({ title: 'Weaving the Web', author: 'Tim Berners-Lee', year: 1999 });
books.create({ title: 'Structure and Interpretation of Computer Programs', author: 'Harold Abelson, Gerald Jay Sussman', year: 1985 });
books.create({ title: '"Surely You\'re Joking, Mr. Feynman!"', author: 'Richard P. Feynman', year: 1985 });
books.create({ title: 'Gödel, Escher, Bach', author: 'Douglas R. Hofstadter', year: 1979 });
books.create({ title: 'HTML & CSS', author: 'Jon Duckett', year: 2011 });
