// The valid variants of lessons 08 onwards (routing to the whole cycle); see support/variant-suite.ts.
import { selectedLessons } from './support/selection.ts';
import { variantSuite } from './support/variant-suite.ts';

await variantSuite('variants-08-on', selectedLessons().filter((lesson) => lesson.number >= 8));
