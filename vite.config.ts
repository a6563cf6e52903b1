import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		environment: 'node',
		testTimeout: 30_000,
		projects: [
			{
				extends: true,
				test: {
					// Pure rules and helpers: no database, no clock.
					name: 'unit',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
					exclude: ['src/**/*.db.test.ts', 'scripts/**/*.db.test.ts']
				}
			},
			{
				extends: true,
				test: {
					// Queries and services against a real, migrated, throwaway PostgreSQL.
					name: 'db',
					include: ['src/**/*.db.test.ts', 'migrations/**/*.db.test.ts', 'scripts/**/*.db.test.ts'],
					globalSetup: ['./tests/setup/vitest-db-global.ts'],
					hookTimeout: 120_000,
					// Database tests share one database; files run one after another.
					fileParallelism: false
				}
			}
		]
	}
});
