// Lesson 09: the URLconf, Django's urls.py: which view answers which path, and
// the name of each route for reverseUrl(). The router is lesson 08's, provided.
// You don't need to change this file: the grader asks for these paths.
import { path, type Route } from '#provided/router.ts';
import { BookListView, BookPdfView, bookDetail, bookJson, crash, exportCsv } from './views.ts';

export const urlpatterns: Route[] = [
  // No `methods` for the class-based views: they dispatch by method themselves, 405 included.
  path('books/', BookListView.asView(), { name: 'book-list' }),
  path('books/export.csv', exportCsv, { name: 'book-export', methods: ['GET'] }),
  path('books/<int:id>/', bookDetail, { name: 'book-detail', methods: ['GET'] }),
  path('books/<int:id>/pdf', BookPdfView.asView(), { name: 'book-pdf' }),
  path('api/books/<int:id>/', bookJson, { name: 'api-book-detail', methods: ['GET'] }),
  path('debug/crash/', crash, { name: 'debug-crash', methods: ['GET'] }),
];
