// Share 3 of every lesson's mutants (the 3rd, the 6th, the 9th…); see support/mutant-suite.ts.
import { mutantSuite } from './support/mutant-suite.ts';
import { selectedLessons } from './support/selection.ts';

await mutantSuite('mutants-3', selectedLessons(), 3);
