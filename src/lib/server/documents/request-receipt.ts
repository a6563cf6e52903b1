import type { Temporal } from 'temporal-polyfill';
import { DEADLINE_KEYS, type DeadlineKey } from '../../domain';
import { fromDate } from '../clock';
import { countryName } from '../countries';
import type { DbOrTrx } from '../db/index';
import { findRequestReceipt, type RequestReceiptRow } from '../db/queries/receipts';
import type { DocumentLocale } from './pdf';
import { renderRequestReceipt, type RequestReceiptData } from './receipt';

function isDeadlineKey(value: string | null): value is DeadlineKey {
	return value !== null && (DEADLINE_KEYS as readonly string[]).includes(value);
}

function postalAddress(row: RequestReceiptRow, locale: DocumentLocale): string | null {
	const country = row.delivery_country_code ? countryName(row.delivery_country_code, locale) : null;
	const parts = [row.delivery_address_line, [row.delivery_postal_code, row.delivery_city].filter(Boolean).join(' '), country];
	const address = parts.filter((p) => p && p.trim()).join(', ');
	return address || null;
}

export function receiptDataFromRow(row: RequestReceiptRow, generatedAt: Temporal.Instant, locale: DocumentLocale): RequestReceiptData {
	return {
		reference: row.reference,
		kind: row.kind,
		election:
			row.election_title_cs !== null && row.election_title_en !== null && row.round !== null
				? {
						titleCs: row.election_title_cs,
						titleEn: row.election_title_en,
						round: row.round === 2 ? 2 : 1,
						roundCount: row.election_round_count ?? 1
					}
				: null,
		office: { nameCs: row.office_name_cs, nameEn: row.office_name_en, address: row.office_address },
		channel: row.channel,
		delivery: row.delivery ? { method: row.delivery, address: postalAddress(row, locale), proxyName: row.proxy_name } : null,
		receivedAt: fromDate(row.received_at),
		deadline: isDeadlineKey(row.deadline_key) && row.deadline_at ? { key: row.deadline_key, at: fromDate(row.deadline_at) } : null,
		voter: { givenName: row.given_name, familyName: row.family_name, birthDate: row.birth_date },
		generatedAt
	};
}

/** The receipt of the voter's own request as a PDF, or undefined when the voter has no such request. */
export async function requestReceiptPdf(
	db: DbOrTrx,
	input: { voterId: string; reference: string; locale: DocumentLocale; now: Temporal.Instant }
): Promise<Buffer | undefined> {
	const row = await findRequestReceipt(db, input.voterId, input.reference);
	if (!row) return undefined;
	return renderRequestReceipt(receiptDataFromRow(row, input.now, input.locale), input.locale);
}
