import { m } from '$lib/paraglide/messages';

/** A field's error as a media registration form gets it back (services/media.ts RegisterMediaErrors). */
export type MediaFieldError = { problem?: string; entry?: string } | string | undefined;

/** An address list's error in words (domain/media.ts validateMediaAddresses). */
function addressText(e: MediaFieldError): string | undefined {
	if (!e || typeof e === 'string') return undefined;
	const entry = e.entry ?? '';
	switch (e.problem) {
		case 'too-many':
			return m.media_err_too_many();
		case 'everything':
			return m.media_err_everything({ entry });
		case 'too-wide':
			return m.media_err_too_wide({ entry });
		case 'overlap':
			return m.media_err_overlap({ entry });
		default:
			return m.media_err_invalid({ entry });
	}
}

/** The registration form's field errors in words: the same on the register and the edit page. */
export function mediaFieldText(errors: Record<string, MediaFieldError>) {
	return {
		name: errors.name ? m.media_err_name() : undefined,
		email: errors.email ? m.media_err_email() : undefined,
		phone: errors.phone ? m.media_err_phone() : undefined,
		production: addressText(errors.production),
		test: addressText(errors.test)
	};
}
