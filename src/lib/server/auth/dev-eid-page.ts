/**
 * The development eID's own pages: plain server-rendered HTML, no JavaScript, in the manner of
 * the national identity provider's test environment (pick a test identity and the level of
 * assurance). Not portal pages: they belong to the stand-in identity provider, so their words
 * are here and not in the portal's message catalogue. Czech or English, as the portal asks with
 * `ui_locales` in the authorization request (OpenID Connect Core 1.0, §3.1.2.1); Czech otherwise.
 */
import { EMBASSIES, MUNICIPALITIES, TEST_IDENTITIES, type TestIdentity } from '../db/seed-data';
import { LOA } from './settings';

export type DevLoa = keyof typeof LOA;

export type DevEidLocale = 'cs' | 'en';

/**
 * The first language of `ui_locales` (space-separated BCP 47 tags, in order of preference) that
 * these pages speak, e.g. 'en-GB cs' → 'en'; Czech when none is asked for or none is known.
 */
export function pageLocale(uiLocales: unknown): DevEidLocale {
	if (typeof uiLocales !== 'string') return 'cs';
	for (const tag of uiLocales.split(/\s+/)) {
		const language = tag.split('-')[0]?.toLowerCase();
		if (language === 'cs' || language === 'en') return language;
	}
	return 'cs';
}

const TEXTS = {
	cs: {
		header: 'Vývojová eID – náhrada Národní identitní autority',
		errorPrefix: 'Chyba: ',
		summaryTitle: 'Je potřeba opravit',
		birthDate: 'Datum narození',
		residence: 'Trvalý pobyt',
		noList: 'V žádném seznamu voličů',
		municipalList: (name: string) => `Seznam voličů obce ${name}`,
		embassyList: (name: string) => `Zvláštní volební okrsek: ${name}`,
		tag: 'Testovací prostředí',
		loginTitle: (client: string) => `Přihlášení do služby ${client}`,
		notice: 'Toto není skutečné přihlášení. Vývojová eID nahrazuje Národní identitní autoritu: vyberte testovací osobu a úroveň záruky, se kterou se přihlásí. Nic se neověřuje.',
		identityLegend: 'Testovací osoba',
		loaLegend: 'Úroveň záruky prostředku',
		login: 'Přihlásit se',
		cancel: 'Zrušit přihlášení',
		loginPageTitle: 'Přihlášení – vývojová eID',
		chooseIdentity: 'Vyberte testovací osobu',
		chooseLoa: 'Vyberte úroveň záruky',
		cancelled: 'Přihlášení zrušeno uživatelem',
		expired: 'Přihlášení vypršelo nebo už bylo dokončeno',
		errorTitle: 'Přihlášení se nezdařilo',
		errorText: 'Vývojová eID nemohla požadavek zpracovat. Nejčastěji vypršel čas na přihlášení (10 minut) nebo byl odkaz použit podruhé.',
		errorCode: 'Kód chyby',
		back: 'Zpět na Volební portál a přihlásit se znovu',
		errorPageTitle: 'Chyba: Přihlášení se nezdařilo – vývojová eID',
		loa: {
			low: { label: 'Nízká', hint: 'Například jméno a heslo. Volební portál ji nepřijme (§ 23 odst. 5 zákona o správě voleb).' },
			substantial: { label: 'Značná', hint: 'Například bankovní identita nebo mobilní klíč eGovernmentu.' },
			high: { label: 'Vysoká', hint: 'Například eObčanka s čipem.' }
		}
	},
	en: {
		header: 'Development eID – a stand-in for the National Identity Authority',
		errorPrefix: 'Error: ',
		summaryTitle: 'There is a problem',
		birthDate: 'Date of birth',
		residence: 'Permanent residence',
		noList: 'On no voter list',
		municipalList: (name: string) => `Voter list of ${name}`,
		embassyList: (name: string) => `Special electoral district: ${name}`,
		tag: 'Test environment',
		loginTitle: (client: string) => `Log in to ${client}`,
		notice: 'This is not a real login. The development eID stands in for the National Identity Authority: choose a test person and the level of assurance they log in with. Nothing is verified.',
		identityLegend: 'Test person',
		loaLegend: 'Level of assurance of the means',
		login: 'Log in',
		cancel: 'Cancel the login',
		loginPageTitle: 'Log in – development eID',
		chooseIdentity: 'Choose a test person',
		chooseLoa: 'Choose the level of assurance',
		cancelled: 'Login cancelled by the user',
		expired: 'The login has expired or was already completed',
		errorTitle: 'The login did not succeed',
		errorText: 'The development eID could not process the request. Most often the time to log in (10 minutes) ran out or the link was used a second time.',
		errorCode: 'Error code',
		back: 'Back to the Election portal to log in again',
		errorPageTitle: 'Error: The login did not succeed – development eID',
		loa: {
			low: { label: 'Low', hint: 'For example a name and password. The Election portal does not accept it (§23(5) of the Elections Administration Act).' },
			substantial: { label: 'Substantial', hint: 'For example a bank identity or the eGovernment mobile key.' },
			high: { label: 'High', hint: 'For example an eID card with a chip.' }
		}
	}
} as const;

/** The words of a page in one language (also the error texts dev-eid.ts hands to the portal). */
export function devEidTexts(locale: DevEidLocale) {
	return TEXTS[locale];
}

const LOA_ORDER: readonly DevLoa[] = ['low', 'substantial', 'high'];

export const DEV_LOA_OPTIONS: readonly { value: DevLoa; label: string; hint: string }[] = LOA_ORDER.map((value) => ({ value, ...TEXTS.cs.loa[value] }));

export function escapeHtml(value: string): string {
	return value
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

function formatDate(isoDate: string, locale: DevEidLocale): string {
	const [y, m, d] = isoDate.split('-').map(Number);
	return locale === 'en' ? `${d}/${m}/${y}` : `${d}. ${m}. ${y}`;
}

export function voterListOf(identity: TestIdentity, locale: DevEidLocale = 'cs'): string {
	const t = TEXTS[locale];
	const list = identity.list;
	if (!list) return t.noList;
	if (list.kind === 'municipal') {
		const municipality = MUNICIPALITIES.find((m) => m.code === list.municipalityCode);
		return t.municipalList(municipality?.name ?? list.municipalityCode);
	}
	const embassy = EMBASSIES.find((e) => e.code === list.embassyCode);
	return t.embassyList(embassy?.name ?? list.embassyCode);
}

function addressOf(identity: TestIdentity): string {
	const a = identity.address;
	return [a.street, [a.postalCode, a.locality].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:1.125rem;line-height:1.4;color:#0b0c0c;background:#fff}
header{background:#0b0c0c;color:#fff;padding:.75rem 1rem}
header p{margin:0;font-weight:700}
main{max-width:48rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:2rem;margin:.5rem 0 1rem}
.tag{display:inline-block;background:#f3d5a5;color:#0b0c0c;padding:.1rem .5rem;font-weight:700;text-transform:uppercase;font-size:.875rem}
fieldset{border:0;margin:0 0 2rem;padding:0}
legend{font-size:1.5rem;font-weight:700;margin-bottom:.5rem;padding:0}
.item{display:flex;gap:.75rem;align-items:flex-start;margin-bottom:1rem}
.item input{width:1.75rem;height:1.75rem;margin:.1rem 0 0;flex:none}
.item label{font-weight:700}
.hint{color:#484949;font-size:1rem;margin:.2rem 0 0}
.error-summary{border:5px solid #d4351c;padding:1rem;margin-bottom:2rem}
.error-summary h2{margin-top:0}
.error-summary a{color:#d4351c;font-weight:700}
.error-message{color:#d4351c;font-weight:700;margin:.25rem 0 .5rem}
.group-error{border-left:5px solid #d4351c;padding-left:1rem}
button{font:inherit;font-weight:700;padding:.6rem 1.2rem;border:0;border-bottom:2px solid #002d18;background:#00703c;color:#fff;cursor:pointer;margin-right:1rem}
button.secondary{background:#f3f2f1;color:#0b0c0c;border-bottom-color:#929191}
button:focus,input:focus,a:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px #0b0c0c}
a{color:#1d70b8}
.visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;border:0!important;white-space:nowrap!important}
.notice{border-left:5px solid #1d70b8;padding:.5rem 1rem;background:#f3f2f1}
`;

function layout(locale: DevEidLocale, title: string, body: string): string {
	return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>${escapeHtml(TEXTS[locale].header)}</p></header>
<main id="obsah">
${body}
</main>
</body>
</html>`;
}

export interface LoginPageInput {
	uid: string;
	clientName: string;
	values: { identity?: string; loa?: string };
	errors: { identity?: string; loa?: string };
	/** The page's language (`pageLocale` of the request's ui_locales); Czech when absent. */
	locale?: DevEidLocale;
}

/** The test-identity chooser with the level of assurance, like the national eID's test environment. */
export function renderLoginPage(input: LoginPageInput): string {
	const { uid, values, errors } = input;
	const locale = input.locale ?? 'cs';
	const t = TEXTS[locale];
	const hasErrors = Object.keys(errors).length > 0;
	const action = `/interaction/${encodeURIComponent(uid)}`;
	const summary = hasErrors
		? `<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">${escapeHtml(t.summaryTitle)}</h2>
<ul>
${errors.identity ? `<li><a href="#identita-${escapeHtml(TEST_IDENTITIES[0]?.accountId ?? '')}">${escapeHtml(errors.identity)}</a></li>` : ''}
${errors.loa ? `<li><a href="#uroven-substantial">${escapeHtml(errors.loa)}</a></li>` : ''}
</ul>
</div>`
		: '';
	const identities = TEST_IDENTITIES.map((identity) => {
		const id = `identita-${identity.accountId}`;
		const checked = values.identity === identity.accountId ? ' checked' : '';
		return `<div class="item">
<input type="radio" name="identita" id="${escapeHtml(id)}" value="${escapeHtml(identity.accountId)}" aria-describedby="${escapeHtml(id)}-hint"${checked}>
<div><label for="${escapeHtml(id)}">${escapeHtml(`${identity.givenName} ${identity.familyName}`)}</label>
<p class="hint" id="${escapeHtml(id)}-hint">${escapeHtml(t.birthDate)}: ${escapeHtml(formatDate(identity.birthDate, locale))}. ${escapeHtml(t.residence)}: ${escapeHtml(addressOf(identity))}. ${escapeHtml(voterListOf(identity, locale))}.<br>${escapeHtml(identity.description[locale])}</p></div>
</div>`;
	}).join('\n');
	const loas = LOA_ORDER.map((value) => {
		const option = { value, ...t.loa[value] };
		const id = `uroven-${option.value}`;
		const checked = (values.loa ?? 'substantial') === option.value ? ' checked' : '';
		return `<div class="item">
<input type="radio" name="uroven" id="${id}" value="${option.value}" aria-describedby="${id}-hint"${checked}>
<div><label for="${id}">${escapeHtml(option.label)}</label>
<p class="hint" id="${id}-hint">${escapeHtml(option.hint)}</p></div>
</div>`;
	}).join('\n');
	const body = `<span class="tag">${escapeHtml(t.tag)}</span>
<h1>${escapeHtml(t.loginTitle(input.clientName))}</h1>
<p class="notice">${escapeHtml(t.notice)}</p>
${summary}
<form method="post" action="${action}/prihlasit" novalidate>
<fieldset${errors.identity ? ' class="group-error" aria-describedby="identita-error"' : ''}>
<legend>${escapeHtml(t.identityLegend)}</legend>
${errors.identity ? `<p class="error-message" id="identita-error"><span class="visually-hidden">${escapeHtml(t.errorPrefix)}</span>${escapeHtml(errors.identity)}</p>` : ''}
${identities}
</fieldset>
<fieldset${errors.loa ? ' class="group-error" aria-describedby="uroven-error"' : ''}>
<legend>${escapeHtml(t.loaLegend)}</legend>
${errors.loa ? `<p class="error-message" id="uroven-error"><span class="visually-hidden">${escapeHtml(t.errorPrefix)}</span>${escapeHtml(errors.loa)}</p>` : ''}
${loas}
</fieldset>
<button type="submit">${escapeHtml(t.login)}</button>
</form>
<form method="post" action="${action}/zrusit">
<button type="submit" class="secondary">${escapeHtml(t.cancel)}</button>
</form>`;
	return layout(locale, `${hasErrors ? t.errorPrefix : ''}${t.loginPageTitle}`, body);
}

/** Errors of the identity provider itself (an expired interaction, a bad request). */
export function renderErrorPage(input: { error: string; description?: string; portalUrl: string | null; locale?: DevEidLocale }): string {
	const locale = input.locale ?? 'cs';
	const t = TEXTS[locale];
	const back = input.portalUrl ? `<p><a href="${escapeHtml(input.portalUrl)}">${escapeHtml(t.back)}</a></p>` : '';
	const body = `<h1>${escapeHtml(t.errorTitle)}</h1>
<p>${escapeHtml(t.errorText)}</p>
<p>${escapeHtml(t.errorCode)}: <code>${escapeHtml(input.error)}</code>${input.description ? ` – ${escapeHtml(input.description)}` : ''}</p>
${back}`;
	return layout(locale, t.errorPageTitle, body);
}
