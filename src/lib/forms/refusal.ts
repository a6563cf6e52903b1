import type { DeadlineKey, RefusalReason, Round } from '../domain';

/**
 * Why a request was not filed, as plain data that a page can render in Czech or English.
 * The domain's reasons (src/lib/domain/eligibility.ts) plus those the portal itself adds.
 */
export type ServiceRefusalCode =
	/** §57(1), §57(5): a live request of this kind for this election and round exists already. */
	| 'already-filed'
	/** §56(4): the voter is already on this embassy's special list. */
	| 'already-registered'
	/** A special-district registration is still waiting for an embassy: one at a time. */
	| 'registration-pending'
	| 'voter-not-found'
	| 'election-not-found'
	| 'embassy-not-found'
	| 'request-not-found'
	/** §56(3): only a request not yet decided can be cancelled. */
	| 'not-cancellable'
	| 'invalid-input';

export type RefusalCode = RefusalReason | ServiceRefusalCode;

/** The kinds of request (the `request.kind` column); a correction of the voter list since issue 15. */
export type RequestKindName = 'voter-card' | 'special-district-registration' | 'correspondence-package' | 'voter-list-correction';

export interface RefusalView {
	code: RefusalCode;
	/** The section that sets the rule, e.g. '§57(3)'; null where no section applies. */
	section: string | null;
	round?: Round;
	/** The deadline that was missed or that applies, in Prague time (§78(2)). */
	deadline?: { key: DeadlineKey; round: Round; at: string; section: string };
	/** 'not-yet-open': when requests open (§57(1)). */
	opensAt?: string;
	/** 'already-filed', 'registration-pending': the requests already filed. */
	references?: string[];
}
