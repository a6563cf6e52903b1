/**
 * The headers every answer carries (hooks.server.ts sets them on SvelteKit's responses; the
 * admission gate on the refusals it makes before SvelteKit). The Content-Security-Policy itself
 * comes from svelte.config.js (nonce-based scripts).
 */
export function securityHeaders(production: boolean): Record<string, string> {
	return {
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'same-origin',
		'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
		'Cross-Origin-Opener-Policy': 'same-origin',
		...(production ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {})
	};
}
