/** Words of the staff pages of issue 5 (decisions, voter cards, entered requests), in the page's language. */
import { m } from '$lib/paraglide/messages';
import type { DecisionErrorCode, RefusalReasonName } from '$lib/forms/decisions';
import { refusalReasonName } from '$lib/forms/decision-text';
import { formErrorText } from '$lib/forms/messages';
import type { FormErrorCode } from '$lib/forms/requests';

export type RequestStateName = 'received' | 'accepted' | 'issued' | 'completed' | 'refused' | 'cancelled';

export function stateName(state: RequestStateName): string {
	switch (state) {
		case 'received':
			return m.req_state_received();
		case 'accepted':
			return m.req_state_accepted();
		case 'issued':
			return m.req_state_issued();
		case 'completed':
			return m.req_state_completed();
		case 'refused':
			return m.req_state_refused();
		case 'cancelled':
			return m.req_state_cancelled();
	}
}

export function channelName(channel: 'portal' | 'in-person' | 'data-box' | 'verified-letter'): string {
	switch (channel) {
		case 'portal':
			return m.dec_channel_portal();
		case 'in-person':
			return m.dec_channel_in_person();
		case 'data-box':
			return m.dec_channel_data_box();
		case 'verified-letter':
			return m.dec_channel_verified_letter();
	}
}

export function deliveryName(delivery: 'post' | 'in-person' | 'proxy', kind: string): string {
	if (kind === 'correspondence-package') {
		switch (delivery) {
			case 'post':
				return m.dec_delivery_package_post();
			case 'in-person':
				return m.dec_delivery_package_in_person();
			case 'proxy':
				return m.dec_delivery_package_proxy();
		}
	}
	switch (delivery) {
		case 'post':
			return m.dec_delivery_post();
		case 'in-person':
			return m.dec_delivery_in_person();
		case 'proxy':
			return m.dec_delivery_proxy();
	}
}

export function reasonName(reason: string | null): string {
	return reason ? refusalReasonName(reason as RefusalReasonName) : '';
}

/** The audit log's actions, as the office's history of a request shows them. */
export function actionName(action: string, after: Record<string, unknown> | null): string {
	switch (action) {
		case 'request.file':
			return m.dec_action_file();
		case 'request.accept':
			return after?.state === 'completed' ? m.dec_action_accept_registration() : m.dec_action_accept();
		case 'request.refuse':
			return m.dec_action_refuse({ reason: reasonName(typeof after?.refusalReason === 'string' ? after.refusalReason : null) });
		case 'request.cancel':
			return m.dec_action_cancel();
		case 'voter-card.issue':
			return m.dec_action_card_issue({ serial: String(after?.serial ?? '') });
		case 'voter-card.hand-over':
			return m.dec_action_card_hand_over({
				method: deliveryName((after?.handoverMethod as 'post' | 'in-person' | 'proxy') ?? 'in-person', 'voter-card')
			});
		case 'voter-card.invalidate':
			return after?.invalidationReason === 'destroyed' ? m.dec_action_card_destroyed() : m.dec_action_card_lost();
		default:
			return action;
	}
}

const DECISION_ERRORS: Record<DecisionErrorCode, () => string> = {
	reason_required: m.dec_error_reason_required,
	text_required: m.dec_error_text_required,
	text_too_long: m.dec_error_text_too_long,
	method_required: m.dec_error_method_required,
	method_post_no_address: m.dec_error_method_post_no_address,
	proxy_name_required: m.dec_error_proxy_name_required,
	proxy_name_too_long: m.dec_error_proxy_name_too_long,
	text_invalid_characters: m.dec_error_text_invalid_characters,
	proxy_birth_date_invalid: m.dec_error_proxy_birth_date_invalid,
	note_required: m.dec_error_note_required,
	note_too_long: m.dec_error_note_too_long,
	loss_reason_required: m.dec_error_loss_reason_required,
	family_name_required: m.dec_error_family_name_required,
	name_too_long: m.dec_error_name_too_long,
	birth_date_invalid: m.dec_error_birth_date_invalid,
	kind_required: m.dec_error_kind_required,
	election_required: m.dec_error_election_required,
	rounds_required: m.dec_error_rounds_required,
	channel_required: m.dec_error_channel_required,
	delivery_required: m.dec_error_delivery_required,
	filed_by_required: m.dec_error_filed_by_required,
	consignment_format: m.batch_number_error_format,
	consignment_check_digit: m.batch_number_error_check_digit,
	consignment_used: m.batch_number_error_used,
	consignment_not_post: m.card_consignment_not_post
};

/** The text of an error code of the staff forms, or of the voter forms' address codes. */
export function errorText(code: string | undefined): string | undefined {
	if (!code) return undefined;
	if (code in DECISION_ERRORS) return DECISION_ERRORS[code as DecisionErrorCode]();
	return formErrorText(code as FormErrorCode);
}

/** The error summary's items, in the order of the page's fields, each linking to its field. */
export function errorItems(errors: Partial<Record<string, string>> | undefined, fields: readonly string[]): { href: string; text: string }[] {
	if (!errors) return [];
	return fields.flatMap((field) => {
		const text = errorText(errors[field]);
		return text ? [{ href: `#${field}`, text }] : [];
	});
}

/** "Chyba: " before the title of a page with errors (GOV.UK). */
export function staffTitle(title: string, hasErrors: boolean): string {
	return `${hasErrors ? m.form_error_title_prefix() + ' ' : ''}${title} – ${m.site_name()}`;
}
