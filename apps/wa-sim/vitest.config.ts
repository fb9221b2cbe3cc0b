import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'wa-sim',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
