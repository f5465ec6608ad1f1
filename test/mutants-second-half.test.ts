// The second half of every lesson's mutants; see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-second-half', selectedLessons(), 2);
