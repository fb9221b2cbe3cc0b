import { defineProject } from 'vitest/config';

// Pure-logic tests only (no DOM environment is installed).
export default defineProject({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
