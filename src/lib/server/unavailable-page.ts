/**
 * The page a visitor gets while the database cannot be reached (issue 8) or while the portal
 * refuses work beyond its admission bound (issue 20, admission-handle.ts): made without the
 * database and without Svelte, so that it works when nothing else does. hooks.server.ts answers
 * it with 503 and Retry-After when a session cannot be looked up; pages of visitors without a
 * session get the portal's own error page (+error.svelte) with the same words.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface UnavailableTexts {
	lang: string;
	site: string;
	title: string;
	text: string;
	home: string;
}

/**
 * A submission refused before it was looked at: the answers the voter gave (as the check page
 * showed them), and one button that sends the same form again — the same idempotency key, so it
 * is never filed twice. With JavaScript, /admission-retry.js counts `retryAfterSeconds` down in
 * the element `#retry-countdown` and sends the form by itself.
 */
export interface Resubmit {
	action: string;
	answersHeading: string;
	answers: { key: string; value: string }[];
	fields: [name: string, value: string][];
	button: string;
	retryAfterSeconds: number;
	/** The sentence saying when to try again; `{countdown}` marks the seconds the script counts down. */
	when: string;
}

export function unavailablePage(texts: UnavailableTexts, resubmit?: Resubmit): string {
	const t = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, escape(v)])) as unknown as UnavailableTexts;
	return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} – ${t.site}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}h1{font-size:2rem}a{color:#1d70b8}dt{font-weight:700}dd{margin:0 0 .75rem}button{font:inherit;font-weight:700;padding:.5rem 1rem;color:#fff;background:#00703c;border:0;box-shadow:0 2px 0 #002d18;cursor:pointer}button:focus{outline:3px solid #fd0;outline-offset:0}</style>
${resubmit ? '<script src="/admission-retry.js" defer></script>\n' : ''}</head>
<body>
<main>
<h1>${t.title}</h1>
<p>${t.text}</p>
${resubmit ? resubmitHtml(resubmit) : ''}<p><a href="/">${t.home}</a></p>
</main>
</body>
</html>
`;
}

function resubmitHtml(r: Resubmit): string {
	const when = escape(r.when).replace('{countdown}', `<span id="retry-countdown">${r.retryAfterSeconds}</span>`);
	const answers = r.answers.map((a) => `<div><dt>${escape(a.key)}</dt><dd>${escape(a.value)}</dd></div>`).join('\n');
	const fields = r.fields.map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('\n');
	return `<p id="retry-when">${when}</p>
${r.answers.length ? `<h2>${escape(r.answersHeading)}</h2>\n<dl>\n${answers}\n</dl>\n` : ''}<form method="post" action="${escape(r.action)}" novalidate data-retry-after="${r.retryAfterSeconds}">
${fields}
<button type="submit">${escape(r.button)}</button>
</form>
`;
}
