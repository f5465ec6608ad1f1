// Right answers written another way pass: for each lesson's variants (other
// header order and case, extra harmless headers, reworded bodies, another
// internal structure), every behaviour of the lesson passes.
//
// Grading a variant means grading its whole lesson, the costliest work of the
// suite. So variants whose edits apply one after another (they change
// different text) are graded together, up to four to a copy: a copy that
// passes every behaviour shows that the grader accepts each of its variants.
// A copy that fails is graded again one variant at a time, in a second run, so
// a failure names the variant and its own failed behaviours (and two variants
// that only clash with each other pass; a variant known to clash is marked
// `alone`, which saves that second run). ROUNDTRIP_VARIANTS_ALONE=1 grades
// every variant on its own copy, for a contributor who wants that proof.
//
// The variants of a test file's lessons are graded in one grader run; two test
// files share the lessons, so Vitest can run them side by side (as
// mutant-suite.ts does).
import { describe, expect, test } from 'vitest';
import type { Lesson } from '../../grader/engine/lessons.ts';
import { copiesGrader, listFor, type CopiesRun, type EditedCopy } from './copies.ts';
import { editedFiles, StaleMutantError, type Variant } from './mutants.ts';
import type { BehaviourOutcome } from './grade.ts';

/** The most variants graded on one copy. */
export const variantsPerCopy = 4;

/**
 * The lesson's variants in groups, in their order: each joins the first group
 * whose edits and its own still apply, one after another, to the solution; one
 * marked `alone` has a group of its own.
 */
export function variantGroups(lesson: Lesson, variants: Variant[], perCopy = variantsPerCopy): Variant[][] {
  const groups: Variant[][] = [];
  for (const variant of variants) {
    const group = variant.alone === undefined ? groups.find((g) => g.length < perCopy && g[0]!.alone === undefined && applyTogether(lesson, [...g, variant])) : undefined;
    if (group) group.push(variant);
    else groups.push([variant]);
  }
  return groups;
}

function applyTogether(lesson: Lesson, variants: Variant[]): boolean {
  try {
    editedFiles(lesson.solutionDir, 'together', variants.flatMap((v) => v.edits));
    return true;
  } catch (error) {
    if (error instanceof StaleMutantError) return false;
    throw error;
  }
}

const copyOf = (lesson: Lesson, group: Variant[]): EditedCopy => ({
  lesson,
  name: group.map((v) => `Variant "${v.name}"`).join(' + '),
  edits: group.flatMap((v) => v.edits),
});

const failuresOf = (behaviours: Record<string, BehaviourOutcome>) =>
  Object.entries(behaviours)
    .filter(([, o]) => o.status !== 'passed')
    .map(([name, o]) => `${name}: ${o.kind} ${o.summary}`);

export async function variantSuite(kind: string, lessons: Lesson[]): Promise<void> {
  // ROUNDTRIP_LESSONS may select none of this file's lessons: say so (as skipped, never as passed).
  if (!lessons.length) return void test.skip(`no lesson of ${kind} is selected by ROUNDTRIP_LESSONS`);
  const variants = await Promise.all(lessons.map(async (lesson) => ({ lesson, list: await listFor<Variant>('variants', lesson) })));

  test.each(variants.map((v) => [v.lesson.id, v.list.length]))('%s has at least two valid variants', (_id, count) => {
    expect(count).toBeGreaterThanOrEqual(2);
  });

  const perCopy = process.env.ROUNDTRIP_VARIANTS_ALONE ? 1 : variantsPerCopy;
  const graded = variants.flatMap(({ lesson, list }) =>
    variantGroups(lesson, list, perCopy).flatMap((group) => {
      const together = copyOf(lesson, group);
      return group.map((variant) => ({ lesson, variant, together, alone: group.length > 1 ? copyOf(lesson, [variant]) : undefined }));
    }),
  );
  const togetherRun = copiesGrader(kind, [...new Set(graded.map((g) => g.together))]);
  /** The variants of every copy that failed together and holds more than one: graded again, each on its own. */
  const toGradeAlone = (run: CopiesRun) => graded.filter((g) => g.alone && failuresOf(run.outcomes(g.together) ?? {}).length);
  // Once the first run is in: the variants of every copy that failed, each on its own.
  let aloneRun: Promise<CopiesRun> | undefined;
  const gradeAlone = () =>
    (aloneRun ??= togetherRun().then((run) => {
      const again = toGradeAlone(run).map((g) => g.alone!);
      return again.length ? copiesGrader(`${kind}-alone`, again)() : run;
    }));

  describe('variants', () => {
    test.each(graded.map((g) => [g.lesson.id, g.variant.name, g]))('%s: Variant "%s" passes', { timeout: 600_000 }, async (id, _name, g) => {
      const run = await togetherRun();
      const together = run.outcomes(g.together);
      expect(together, `no results for ${id}\n${run.output}`).toBeDefined();
      expect(Object.keys(together!).length).toBeGreaterThan(0);
      let failed = failuresOf(together!);
      if (failed.length && g.alone) {
        const alone = await gradeAlone();
        const own = alone.outcomes(g.alone);
        expect(own, `no results for ${id} graded alone\n${alone.output}`).toBeDefined();
        failed = failuresOf(own!);
      }
      expect(failed).toEqual([]);
    });

    // A copy that fails while each of its variants passes alone costs a second run every time: say which.
    test('no copy of several variants fails where each of them passes alone', { timeout: 600_000 }, async () => {
      const run = await togetherRun();
      const failing = [...new Set(toGradeAlone(run).map((g) => g.together))];
      if (!failing.length) return;
      const alone = await gradeAlone();
      const passesAlone = (g: (typeof graded)[number]) => failuresOf(alone.outcomes(g.alone!) ?? { '(no results)': { status: 'failed' } }).length === 0;
      const clashes = failing.filter((copy) => graded.filter((g) => g.together === copy).every(passesAlone));
      expect(clashes.map((copy) => `${copy.lesson.id}: ${copy.name}`), 'these variants clash: mark one of each group alone, with why').toEqual([]);
    });
  });
}
