/**
 * Creates an election with its rounds and every embassy's default voting windows (§2(3)).
 *
 *   npm run election:create -- --type <type> --first-day YYYY-MM-DD
 *     [--second-round-first-day YYYY-MM-DD] [--announced YYYY-MM-DD] [--title TEXT]
 *
 * Uses the server's database (DATABASE_URL, else the embedded one in DATA_DIR). Prints the
 * new election's id alone on the last line; a refused argument exits with 2 and says why.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
	ELECTION_TYPE_RULES,
	ELECTION_TYPES,
	PRAGUE,
	parseIsoDate,
	validateElectionDates,
	type ElectionError,
	type ElectionRound,
	type ElectionType
} from '../src/lib/domain';
import { clock } from '../src/lib/server/clock';
import { createElection, defaultTitles } from '../src/lib/server/services/elections';
import { openCliDatabase, run, UsageError } from './cli';

const USAGE =
	'Usage: npm run election:create -- --type <type> --first-day YYYY-MM-DD ' +
	'[--second-round-first-day YYYY-MM-DD] [--announced YYYY-MM-DD] [--title TEXT]';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const isoDate = (option: string) =>
	z
		.string({ error: `${option} is required` })
		.refine((v) => parseIsoDate(v) !== null, { error: (issue) => `${option} must be a date YYYY-MM-DD, got "${String(issue.input)}"` });

const argsSchema = z.object({
	type: z.enum(ELECTION_TYPES as [ElectionType, ...ElectionType[]], {
		error: (issue) =>
			issue.input === undefined
				? `--type is required: one of ${ELECTION_TYPES.join(', ')}`
				: `Unknown election type "${String(issue.input)}": use one of ${ELECTION_TYPES.join(', ')}`
	}),
	'first-day': isoDate('--first-day'),
	'second-round-first-day': isoDate('--second-round-first-day').optional(),
	announced: isoDate('--announced').optional(),
	title: z.string().trim().min(1, '--title must not be empty').max(200, '--title is too long').optional()
});

function weekday(date: string): string {
	const day = parseIsoDate(date);
	return day ? (WEEKDAYS[day.dayOfWeek - 1] ?? '') : '';
}

/** One line per refused rule, naming the option, the value and the §. */
function describeError(
	error: ElectionError,
	args: { announcedOn: string; announcedByDefault: boolean; rounds: ElectionRound[]; type: ElectionType }
): string {
	const round = args.rounds.find((r) => r.round === error.round);
	const option = error.round === 2 ? '--second-round-first-day' : '--first-day';
	switch (error.code) {
		case 'first-day-not-friday':
			return `${option} ${round?.firstDay} is a ${weekday(round?.firstDay ?? '')}: the first day of voting is always a Friday (§2(4)).`;
		case 'rounds-out-of-order':
			return `--second-round-first-day ${args.rounds[1]?.firstDay} must be after --first-day ${args.rounds[0]?.firstDay}.`;
		case 'announcement-not-before-first-day':
			return args.announcedByDefault
				? `The announcement day defaults to today, ${args.announcedOn}, which must be before the first day of voting ${args.rounds[0]?.firstDay} (§57(1)); give --announced.`
				: `--announced ${args.announcedOn} must be before the first day of voting ${args.rounds[0]?.firstDay} (§57(1)).`;
		case 'wrong-number-of-rounds':
			return roundsMessage(args.type);
		case 'invalid-date':
			return `${error.field === 'announcedOn' ? '--announced' : option} is not a valid date.`;
		default:
			return `Refused: ${error.field} (${error.code}).`;
	}
}

function roundsMessage(type: ElectionType): string {
	return ELECTION_TYPE_RULES[type].rounds === 2
		? `A ${type} election has two rounds: give --second-round-first-day too.`
		: `A ${type} election has one round: leave out --second-round-first-day.`;
}

/** Parses and checks the arguments; throws UsageError with every problem found. */
function parseElectionCreateArgs(argv: string[], today: string) {
	let values: Record<string, unknown>;
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				type: { type: 'string' },
				'first-day': { type: 'string' },
				'second-round-first-day': { type: 'string' },
				announced: { type: 'string' },
				title: { type: 'string' }
			},
			strict: true,
			allowPositionals: false
		}));
	} catch (error) {
		throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
	}
	const parsed = argsSchema.safeParse(values);
	if (!parsed.success) {
		throw new UsageError(`${parsed.error.issues.map((i) => i.message).join('\n')}\n${USAGE}`);
	}
	const args = parsed.data;

	const hasSecond = args['second-round-first-day'] !== undefined;
	if (hasSecond !== (ELECTION_TYPE_RULES[args.type].rounds === 2)) throw new UsageError(roundsMessage(args.type));

	const rounds: ElectionRound[] = [{ round: 1, firstDay: args['first-day'] }];
	if (args['second-round-first-day'] !== undefined) rounds.push({ round: 2, firstDay: args['second-round-first-day'] });
	const input = { type: args.type, announcedOn: args.announced ?? today, announcedByDefault: args.announced === undefined, rounds };

	const validation = validateElectionDates(input);
	if (!validation.ok) throw new UsageError(validation.errors.map((e) => describeError(e, input)).join('\n'));
	return { ...input, title: args.title };
}

async function main() {
	// §57(1): requests open on the announcement day; by default that is today in Prague.
	const now = clock().now();
	const today = now.toZonedDateTimeISO(PRAGUE).toPlainDate().toString();
	const input = parseElectionCreateArgs(process.argv.slice(2), today);

	const { db, close } = await openCliDatabase();
	try {
		const result = await createElection(
			db,
			{ type: input.type, announcedOn: input.announcedOn, rounds: input.rounds, titleCs: input.title },
			{ kind: 'system' },
			now
		);
		if (!result.ok) throw new UsageError(result.errors.map((e) => describeError(e, input)).join('\n'));
		const title = input.title ?? defaultTitles(input.type, input.rounds[0]?.firstDay ?? '').cs;
		const days = input.rounds.map((r) => `round ${r.round} from ${r.firstDay}`).join(', ');
		console.log(`Created "${title}" (${input.type}), announced ${input.announcedOn}, ${days}.`);
		console.log(result.id);
	} finally {
		await close();
	}
}

run(main);
