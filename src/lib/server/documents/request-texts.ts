/**
 * The words documents use for a request's kind, channel and filing deadline (receipts and
 * refusal notices say them alike), in the document's language.
 */
import type { DeadlineKey } from '../../domain';
import { m } from '../../paraglide/messages.js';
import type { RequestChannel, RequestKind } from '../db/schema';
import type { DocumentLocale } from './pdf';

export function kindTitle(kind: RequestKind, locale: DocumentLocale): string {
	switch (kind) {
		case 'voter-card':
			return m.doc_kind_voter_card({}, { locale });
		case 'special-district-registration':
			return m.doc_kind_special_district_registration({}, { locale });
		case 'correspondence-package':
			return m.doc_kind_correspondence_package({}, { locale });
		case 'voter-list-correction':
			return m.doc_kind_voter_list_correction({}, { locale });
	}
}

export function channelText(channel: RequestChannel, locale: DocumentLocale): string {
	switch (channel) {
		case 'portal':
			return m.doc_channel_portal({}, { locale });
		case 'in-person':
			return m.doc_channel_in_person({}, { locale });
		case 'data-box':
			return m.doc_channel_data_box({}, { locale });
		case 'verified-letter':
			return m.doc_channel_verified_letter({}, { locale });
	}
}

export function deadlineLabel(key: DeadlineKey, locale: DocumentLocale): string {
	switch (key) {
		case 'voter-card-mail-request':
			return m.doc_deadline_voter_card_mail_request({}, { locale });
		case 'voter-card-pickup-request':
			return m.doc_deadline_voter_card_pickup_request({}, { locale });
		case 'special-district-registration':
			return m.doc_deadline_special_district_registration({}, { locale });
		case 'correspondence-request-written':
			return m.doc_deadline_correspondence_request_written({}, { locale });
		case 'correspondence-request-in-person':
			return m.doc_deadline_correspondence_request_in_person({}, { locale });
		default:
			return m.doc_deadline_other({}, { locale });
	}
}
