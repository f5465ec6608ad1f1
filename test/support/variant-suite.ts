// Right answers written another way pass: for each lesson's variants (other
// header order and case, extra harmless headers, reworded bodies, another
// internal structure), every behaviour of the lesson passes. The variants of a
// test file's lessons are graded in one grader run; two test files share the
// lessons, so Vitest can run them side by side (as mutant-suite.ts does).
import { describe, expect, test } from 'vitest';
import type { Lesson } from '../../grader/engine/lessons.ts';
import { copiesGrader, listFor } from './copies.ts';
import type { Variant } from './mutants.ts';

export async function variantSuite(kind: string, lessons: Lesson[]): Promise<void> {
  // ROUNDTRIP_LESSONS may select none of this file's lessons: say so (as skipped, never as passed).
  if (!lessons.length) return void test.skip(`no lesson of ${kind} is selected by ROUNDTRIP_LESSONS`);
  const variants = await Promise.all(lessons.map(async (lesson) => ({ lesson, list: await listFor<Variant>('variants', lesson) })));

  test.each(variants.map((v) => [v.lesson.id, v.list.length]))('%s has at least two valid variants', (_id, count) => {
    expect(count).toBeGreaterThanOrEqual(2);
  });

  const copies = variants.flatMap(({ lesson, list }) => list.map((variant) => ({ lesson, name: `Variant "${variant.name}"`, edits: variant.edits })));
  const graded = copiesGrader(kind, copies);

  describe('variants', () => {
    test.each(copies.map((c) => [c.lesson.id, c.name, c]))('%s: %s passes', { timeout: 600_000 }, async (id, _name, copy) => {
      const run = await graded();
      const behaviours = run.outcomes(copy);
      expect(behaviours, `no results for ${id}\n${run.output}`).toBeDefined();
      const failed = Object.entries(behaviours!).filter(([, o]) => o.status !== 'passed').map(([name, o]) => `${name}: ${o.kind} ${o.summary}`);
      expect(failed).toEqual([]);
    });
  });
}
