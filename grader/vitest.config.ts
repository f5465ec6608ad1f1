// For running the grader's specs with Vitest directly (the CLI does not read this file).
import { defineConfig } from 'vitest/config';
import { graderTestOptions } from './vitest-options.ts';

export default defineConfig({ test: graderTestOptions });
