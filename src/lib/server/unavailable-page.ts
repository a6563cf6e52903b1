/**
 * The page a visitor gets while the database cannot be reached (issue 8): made without the
 * database and without Svelte, so that it works when nothing else does. hooks.server.ts answers
 * it with 503 and Retry-After when a session cannot be looked up; pages of visitors without a
 * session get the portal's own error page (+error.svelte) with the same words.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function unavailablePage(texts: { lang: string; site: string; title: string; text: string; home: string }): string {
	const t = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, escape(v)])) as typeof texts;
	return `<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title} – ${t.site}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}h1{font-size:2rem}a{color:#1d70b8}</style>
</head>
<body>
<main>
<h1>${t.title}</h1>
<p>${t.text}</p>
<p><a href="/">${t.home}</a></p>
</main>
</body>
</html>
`;
}
