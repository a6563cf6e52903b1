/**
 * Which Chromium the Playwright tests drive, and how.
 *
 * Playwright's own browser download (`npx playwright install`) is preferred
 * when present; otherwise a system Chromium is used: `$CHROMIUM_PATH`, else
 * Debian's `/usr/bin/chromium` (`apt-get install chromium`). Machines without
 * internet access beyond the package registries cannot download Playwright's
 * browsers, so the system one is the normal case there.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags for headless runs in containers/CI (root, no GPU, no outside network). */
export const chromiumArgs: readonly string[] = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

function bundledChromium(): string | undefined {
	try {
		const path = chromium.executablePath();
		return path && existsSync(path) ? path : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Path of the Chromium executable to launch, or `undefined` to let Playwright
 * use its bundled browser.
 */
export function chromiumExecutablePath(): string | undefined {
	if (bundledChromium()) return undefined;
	const fromEnv = process.env.CHROMIUM_PATH?.trim();
	if (fromEnv) return fromEnv;
	return SYSTEM_CHROMIUM;
}
