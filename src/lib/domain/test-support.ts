/** Builders shared by the domain's tests. Not part of the public API (not exported from index). */
import { Temporal } from 'temporal-polyfill';
import { defaultElectionSettings, type Election, type ElectionType, type Round } from './elections';
import { PRAGUE } from './deadlines';

/** A Prague wall-clock time 'YYYY-MM-DDTHH:mm[:ss[.sss]]' as an instant. */
export function prague(local: string): Temporal.Instant {
	return Temporal.PlainDateTime.from(local).toZonedDateTime(PRAGUE).toInstant();
}

/** An election of a type with its default settings, announced 90 days before the first round. */
export function makeElection(
	type: ElectionType,
	firstDays: readonly string[],
	overrides: Partial<Election> = {}
): Election {
	const first = firstDays[0];
	if (first === undefined) throw new RangeError('At least one first day is needed');
	return {
		id: `${type}-${first}`,
		type,
		announcedOn: Temporal.PlainDate.from(first).subtract({ days: 90 }).toString(),
		rounds: firstDays.map((firstDay, index) => ({ round: (index + 1) as Round, firstDay })),
		...defaultElectionSettings(type),
		...overrides
	};
}

/** Chamber of Deputies 2025: D = Friday 3 October 2025. */
export const CHAMBER_2025 = makeElection('chamber', ['2025-10-03'], {
	id: 'chamber-2025',
	announcedOn: '2025-06-26'
});

/** President 2023-like: round 1 Friday 13 January 2023, round 2 Friday 27 January 2023. */
export const PRESIDENT_2023 = makeElection('president', ['2023-01-13', '2023-01-27'], {
	id: 'president-2023',
	announcedOn: '2022-09-30'
});

/** European Parliament 2024-like: D = Friday 7 June 2024. */
export const EUROPEAN_2024 = makeElection('european', ['2024-06-07'], { id: 'european-2024' });
