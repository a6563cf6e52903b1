import { isHttpError } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
	vi.unstubAllEnvs();
	vi.resetModules();
});

async function devOnlyIn(appEnv: 'development' | 'test' | 'production') {
	vi.stubEnv('APP_ENV', appEnv);
	vi.resetModules();
	return (await import('./guard.server')).devOnly;
}

describe('the mail catcher pages', () => {
	it('are a 404 in production', async () => {
		const devOnly = await devOnlyIn('production');
		let thrown: unknown;
		try {
			devOnly();
		} catch (e) {
			thrown = e;
		}
		expect(isHttpError(thrown, 404)).toBe(true);
	});

	it('are open in development and test', async () => {
		for (const env of ['development', 'test'] as const) expect(await devOnlyIn(env)).not.toThrow();
	});
});
