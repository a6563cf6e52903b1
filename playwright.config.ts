import { defineConfig } from '@playwright/test';
import { PORTAL_ORIGIN } from './tests/support/ports.js';
import { chromiumArgs, chromiumExecutablePath } from './tests/support/chromium.js';

const CI = !!process.env.CI;

export default defineConfig({
	testDir: 'tests/e2e',
	forbidOnly: CI,
	// No retries: a test that only passes on a second try is a bug to fix.
	retries: 0,
	workers: CI ? 1 : 2,
	// Staff tests log in two or three people with TOTP on a 2-core machine shared with the
	// server and PostgreSQL: 30 s is too tight for them under load, so allow 90 s per test
	// and 10 s per expectation. A test that needs longer is a bug, not a slow machine.
	timeout: 90_000,
	expect: { timeout: 10_000 },
	reporter: [['list'], ['json', { outputFile: '.test-results/playwright.json' }]],
	use: {
		baseURL: process.env.E2E_BASE_URL ?? PORTAL_ORIGIN,
		locale: 'cs-CZ',
		timezoneId: 'Europe/Prague',
		trace: 'retain-on-failure'
	},
	projects: [
		{
			name: 'chromium',
			use: {
				browserName: 'chromium',
				launchOptions: {
					executablePath: chromiumExecutablePath(),
					args: [...chromiumArgs]
				}
			}
		}
	],
	webServer: {
		// Prepares a throwaway database and starts the built app with a fixed clock.
		command: 'npx tsx tests/support/e2e-server.ts',
		url: `${PORTAL_ORIGIN}/health`,
		reuseExistingServer: false,
		timeout: 180_000,
		stdout: 'pipe'
	}
});
