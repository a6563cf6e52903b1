/** What the arrivals page (/urad/zastupitelsky-urad/obalky) acknowledges for each scan, shared by server and page. */

/** A receipt time: ISO with the Prague offset (§78(2)), ISO with the embassy's offset, and its zone. */
export interface ReceiptTimeView {
	prague: string;
	local: string;
	timeZone: string;
}

export type ScanAcknowledgement =
	/** §57c(3): recorded, to be kept sealed; §57c(5): late, kept apart and never counted. */
	| { kind: 'recorded' | 'late'; code: string; initials: string; count: number; receivedAt: ReceiptTimeView; storageBatch: string | null }
	| { kind: 'duplicate'; code: string; initials: string; firstReceivedAt: ReceiptTimeView }
	| { kind: 'unknown'; code: string }
	| { kind: 'undone'; code: string }
	| { kind: 'voting-not-configured'; code: null };

export type ScanKind = ScanAcknowledgement['kind'];

/** Field errors of the scan form: an empty or mistyped code (refused before any look-up), a too long batch label. */
export type ScanErrorCode = 'required' | 'length' | 'character' | 'check' | 'batch-too-long' | 'batch-characters';

/** Why an undo did nothing. */
export type UndoProblem = 'nothing-to-undo' | 'not-last-scan' | 'already-handed-over';

export interface ScanErrors {
	kod?: ScanErrorCode;
	sarze?: ScanErrorCode;
	undo?: UndoProblem;
}

/** The last scan this page acknowledged as recorded: what the undo button acts on. */
export interface LastScan {
	envelopeId: string;
	/** Canonical code (12 symbols). */
	code: string;
}

/** A hand-over record (§57c(4)) as its pages show it (services/envelopes.ts HandoverRecord). */
export interface HandoverView {
	id: string;
	office: { nameCs: string; nameEn: string; specialDistrictNumber: number | null; timeZone: string };
	election: { titleCs: string; titleEn: string; round: number };
	envelopeCount: number;
	createdAt: ReceiptTimeView;
	createdBy: string;
	head: { name: string; confirmedAt: ReceiptTimeView } | null;
	chair: { name: string; confirmedAt: ReceiptTimeView } | null;
	envelopes: { code: string; receivedAt: ReceiptTimeView; storageBatch: string | null }[];
}

export type ConfirmProblem = 'already-confirmed' | 'same-person';

/**
 * The outcome of one scan at the envelope station (issue 13), as the JSON endpoint answers it
 * and the live list shows it. Codes are in the printed form ('ABCD-EFGH-JKMN'), except an
 * invalid one, which is shown as typed.
 */
export type StationOutcome =
	| {
			kind: 'recorded' | 'late' | 'received-late';
			code: string;
			envelopeId: string;
			initials: string;
			count: number;
			receivedAt: ReceiptTimeView;
			storageBatch: string | null;
	  }
	| { kind: 'duplicate'; code: string; initials: string; firstReceivedAt: ReceiptTimeView; firstReceivedBy: string | null }
	| { kind: 'unknown' | 'other-embassy'; code: string }
	| { kind: 'wrong-election'; code: string; titleCs: string; titleEn: string; round: number }
	| { kind: 'invalid'; code: string; reason: 'length' | 'character' | 'check' | 'batch-too-long' | 'batch-characters' }
	| { kind: 'voting-not-configured'; code: string };

export type StationOutcomeKind = StationOutcome['kind'];

/** Scans of the embassy's station today (in its time zone), by outcome. */
export type StationCounters = Partial<Record<StationOutcomeKind, number>>;

/** What the station's endpoint answers for one scan: the first outcome of its id, and the day's counters. */
export interface StationScanResponse {
	scanId: string;
	outcome: StationOutcome;
	/** The id had been received before: this is the outcome it got then. */
	repeat: boolean;
	today: StationCounters;
}
