/**
 * Writes a voter list file in the import's shape (src/lib/domain/voter-import.ts) with
 * generated voters, for measuring the import:
 *
 *   tsx scripts/make-voter-csv.ts --count 1000000 --out /tmp/voters.csv [--start 0] [--seed 1] [--eid-share 0.1]
 *
 * The voters come from the seed's generator (deterministic: the same options give the same
 * file), so with --start 0 and --seed 1 the first rows are the voters `npm run seed` put on
 * the demo lists. A share of them get a made-up eID subject, to exercise its checks.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { VOTER_CSV_HEADER, voterCsvRow } from '../src/lib/domain/voter-import';
import { EMBASSIES, generateVoters } from '../src/lib/server/db/seed-data';
import { progressBar, run, UsageError } from './cli';

function option(name: string, fallback?: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : fallback;
}

run(async () => {
	const count = Number(option('count'));
	const out = option('out');
	const start = Number(option('start', '0'));
	const seed = Number(option('seed', '1'));
	const eidShare = Number(option('eid-share', '0.1'));
	if (!Number.isInteger(count) || count < 1 || count > 10_000_000 || !out || !Number.isInteger(start) || start < 0 || !(eidShare >= 0 && eidShare <= 1)) {
		throw new UsageError('Usage: tsx scripts/make-voter-csv.ts --count N --out FILE.csv [--start 0] [--seed 1] [--eid-share 0.1]');
	}
	const district = new Map(EMBASSIES.map((e) => [e.code, e.specialDistrictNumber]));
	const stream = createWriteStream(out);
	const bar = progressBar('rows');
	let index = start;
	let buffer = VOTER_CSV_HEADER;
	const eidEvery = eidShare > 0 ? Math.round(1 / eidShare) : 0;
	for (const v of generateVoters(count, { seed, startIndex: start })) {
		buffer += voterCsvRow({
			givenName: v.givenName,
			familyName: v.familyName,
			birthDate: v.birthDate,
			addressLine: v.addressLine,
			city: v.city,
			postalCode: v.postalCode,
			countryCode: v.countryCode,
			municipalityCode: v.list.kind === 'municipal' ? v.list.municipalityCode : null,
			specialDistrict: v.list.kind === 'embassy' ? (district.get(v.list.embassyCode) ?? null) : null,
			eidSubject: eidEvery && index % eidEvery === 0 ? `generated-eid-${seed}-${index}` : null
		});
		index++;
		if (buffer.length > 1 << 20) {
			if (!stream.write(buffer)) await once(stream, 'drain');
			buffer = '';
			bar(index - start, count);
		}
	}
	stream.end(buffer);
	await once(stream, 'finish');
	bar(count, count);
	console.log(`wrote ${count} voters to ${out}`);
});
