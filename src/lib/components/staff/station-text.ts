/** How the envelope station (issue 13) words each outcome, in the page's language. */
import { m } from '$lib/paraglide/messages';
import type { OutcomeView, StationAnswer } from '../scan-queue';
import { receiptText, roundLabel } from './envelope-text';
import type { ScanErrorCode, StationOutcome, StationOutcomeKind, StationScanResponse } from './envelope-types';

/** What the list shows: an answer of the endpoint, or an undo the page made itself. */
export type EnvelopeStationOutcome = StationOutcome | { kind: 'undone'; code: string };

/** Why a scan was refused before any look-up (a mistyped code, a bad batch label), for the form and the station. */
export function scanErrorText(code: ScanErrorCode): string {
	switch (code) {
		case 'required':
			return m.env_error_code_required();
		case 'length':
			return m.env_error_code_length();
		case 'character':
			return m.env_error_code_character();
		case 'check':
			return m.env_error_code_check();
		case 'batch-too-long':
			return m.env_error_batch_too_long();
		case 'batch-characters':
			return m.dec_error_text_invalid_characters();
	}
}

export function envelopeOutcomeView(o: EnvelopeStationOutcome, locale: string): OutcomeView {
	switch (o.kind) {
		case 'recorded':
		case 'late':
		case 'received-late': {
			const title =
				o.kind === 'recorded'
					? m.env_ack_recorded({ code: o.code, initials: o.initials })
					: o.kind === 'late'
						? m.env_ack_late({ code: o.code, initials: o.initials })
						: m.env_ack_received_late({ code: o.code, initials: o.initials });
			const received = `${m.env_ack_received_at({ time: receiptText(o.receivedAt, locale) })}${o.storageBatch ? ` · ${m.env_ack_batch({ batch: o.storageBatch })}` : ''}`;
			const lines = [m.env_ack_count({ count: o.count }), received];
			if (o.kind === 'late') lines.push(m.env_ack_late_text());
			if (o.kind === 'received-late') lines.push(m.env_ack_received_late_text());
			return { tone: o.kind === 'recorded' ? 'ok' : 'warning', title, lines };
		}
		case 'duplicate':
			return {
				tone: 'refused',
				title: m.env_ack_duplicate({ code: o.code, initials: o.initials }),
				lines: [
					o.firstReceivedBy
						? m.env_ack_duplicate_by({ time: receiptText(o.firstReceivedAt, locale), name: o.firstReceivedBy })
						: m.env_ack_duplicate_text({ time: receiptText(o.firstReceivedAt, locale) })
				]
			};
		case 'unknown':
			return { tone: 'refused', title: m.env_ack_unknown({ code: o.code }), lines: [m.env_ack_unknown_text()] };
		case 'other-embassy':
			return { tone: 'refused', title: m.env_ack_other_embassy({ code: o.code }), lines: [m.env_ack_other_embassy_text()] };
		case 'wrong-election': {
			const election = `${locale === 'en' ? o.titleEn : o.titleCs} – ${roundLabel(o.round)}`;
			return { tone: 'refused', title: m.env_ack_wrong_election({ code: o.code }), lines: [m.env_ack_wrong_election_text({ election })] };
		}
		case 'invalid':
			return { tone: 'refused', title: m.env_ack_invalid({ code: o.code }), lines: [scanErrorText(o.reason)] };
		case 'voting-not-configured':
			return { tone: 'refused', title: m.env_ack_not_configured_title(), lines: [m.env_ack_not_configured_text()] };
		case 'undone':
			return { tone: 'ok', title: m.env_ack_undone({ code: o.code }), lines: [m.env_ack_undone_text()] };
	}
}

/** The counters' rows, in this order. */
export function envelopeKinds(): { kind: StationOutcomeKind; label: string }[] {
	return [
		{ kind: 'recorded', label: m.env_kind_recorded() },
		{ kind: 'late', label: m.env_kind_late() },
		{ kind: 'received-late', label: m.env_kind_received_late() },
		{ kind: 'duplicate', label: m.env_kind_duplicate() },
		{ kind: 'unknown', label: m.env_kind_unknown() },
		{ kind: 'other-embassy', label: m.env_kind_other_embassy() },
		{ kind: 'wrong-election', label: m.env_kind_wrong_election() },
		{ kind: 'invalid', label: m.env_kind_invalid() },
		{ kind: 'voting-not-configured', label: m.env_kind_voting_not_configured() }
	];
}

/** A refusal the clerk may have typed by hand: worth correcting in place. */
export function envelopeCorrectable(o: EnvelopeStationOutcome): boolean {
	return o.kind === 'invalid' || o.kind === 'unknown' || o.kind === 'other-embassy';
}

/** Reads the endpoint's answer (StationScanResponse); anything else is not an answer. */
export function readEnvelopeAnswer(body: unknown): StationAnswer<EnvelopeStationOutcome> | null {
	if (typeof body !== 'object' || body === null) return null;
	const b = body as Partial<StationScanResponse>;
	if (typeof b.outcome !== 'object' || b.outcome === null || typeof b.outcome.kind !== 'string') return null;
	return { outcome: b.outcome, repeat: b.repeat === true, today: (b.today as Record<string, number> | undefined) ?? null };
}
