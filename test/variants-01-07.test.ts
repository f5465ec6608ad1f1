// The valid variants of lessons 01–07 (the wire, the objects, middleware); see support/variant-suite.ts.
import { selectedLessons } from './support/selection.ts';
import { variantSuite } from './support/variant-suite.ts';

await variantSuite('variants-01-07', selectedLessons().filter((lesson) => lesson.number <= 7));
