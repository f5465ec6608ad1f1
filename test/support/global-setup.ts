// Once before and once after the whole suite (Vitest's globalSetup): the builds
// of scratch workbooks and copies the tests made and removed are removed too
// (see pruneBuilds), so that .roundtrip/build does not grow with every run.
import { pruneBuilds } from '../../grader/engine/compile.ts';

export default function setup(): () => void {
  pruneBuilds();
  return () => void pruneBuilds();
}
