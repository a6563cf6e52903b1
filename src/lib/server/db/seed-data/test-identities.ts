/**
 * Test identities of the development eID (the stand-in for NIA). Those on a
 * voter list are seeded as voters too (`testIdentityVoters`), so logging in
 * with one of them finds the matching voter.
 *
 * `address` is what the eID reports: the address of permanent residence as
 * registered, which for voters on a municipal list is in Czechia.
 */

import type { VoterSeed } from './generate-voters.js';

export interface TestIdentityAddress {
	street: string;
	locality: string;
	postalCode: string;
	/** ISO alpha-2 */
	country: string;
}

export interface TestIdentity {
	/** Stable account id of the development eID, e.g. 'petr-svoboda'. */
	accountId: string;
	givenName: string;
	familyName: string;
	/** YYYY-MM-DD */
	birthDate: string;
	sex: 'F' | 'M';
	address: TestIdentityAddress;
	/** The voter list the identity is on; null = on no voter list. */
	list: VoterSeed['list'] | null;
	/**
	 * Where the person actually lives when that differs from `address`
	 * (someone still on a municipal list who lives abroad): what the tester
	 * types into a special-district registration.
	 */
	livesAt?: TestIdentityAddress;
	/** What the tester uses the identity for. */
	description: { cs: string; en: string };
	/**
	 * A test identity (issue 14): sees the rehearsal elections besides the real ones. The other
	 * identities stand for real voters, who never see a rehearsal.
	 */
	testIdentity?: boolean;
}

export const TEST_IDENTITIES: TestIdentity[] = [
	{
		accountId: 'petr-svoboda',
		givenName: 'Petr',
		familyName: 'Svoboda',
		birthDate: '1984-03-12',
		sex: 'M',
		address: { street: 'Vinohradská 1849/112', locality: 'Praha', postalCode: '130 00', country: 'CZ' },
		list: { kind: 'municipal', municipalityCode: '554782' },
		description: {
			cs: 'Volič ze seznamu voličů Prahy: žádost o voličský průkaz (poštou i osobní převzetí).',
			en: "Voter on Praha's list: voter card request (by post and for collection)."
		}
	},
	{
		accountId: 'katerina-dvorakova',
		givenName: 'Kateřina',
		familyName: 'Dvořáková',
		birthDate: '1991-07-23',
		sex: 'F',
		address: { street: 'Kounicova 684/27', locality: 'Brno', postalCode: '602 00', country: 'CZ' },
		list: { kind: 'municipal', municipalityCode: '582786' },
		livesAt: { street: 'Mariahilfer Straße 88/14', locality: 'Wien', postalCode: '1070', country: 'AT' },
		description: {
			cs: 'Je v seznamu voličů Brna, ale žije ve Vídni (Mariahilfer Straße 88/14, 1070 Wien): zápis do zvláštního volebního okrsku u velvyslanectví ve Vídni.',
			en: "On Brno's list but lives in Vienna (Mariahilfer Straße 88/14, 1070 Wien): special-district registration at the embassy in Vienna."
		}
	},
	{
		accountId: 'tomas-kral',
		givenName: 'Tomáš',
		familyName: 'Král',
		birthDate: '1978-11-05',
		sex: 'M',
		address: { street: 'Kastanienallee 12', locality: 'Berlin', postalCode: '10435', country: 'DE' },
		list: { kind: 'embassy', embassyCode: 'berlin' },
		description: {
			cs: 'Zapsán ve zvláštním volebním okrsku u velvyslanectví v Berlíně: korespondenční hlasování.',
			en: "Registered in the Berlin embassy's special district: correspondence voting."
		}
	},
	{
		accountId: 'lucie-markova',
		givenName: 'Lucie',
		familyName: 'Marková',
		birthDate: '1995-02-28',
		sex: 'F',
		address: { street: '2150 North Lincoln Avenue', locality: 'Chicago, IL', postalCode: '60614', country: 'US' },
		list: { kind: 'embassy', embassyCode: 'washington' },
		description: {
			cs: 'Zapsána u velvyslanectví ve Washingtonu (Amerika, volí se ve čtvrtek a v pátek místního času): korespondenční hlasování a lhůty v pražském čase.',
			en: 'Registered at the embassy in Washington (the Americas, voting on Thursday and Friday local time): correspondence voting and Prague-time deadlines.'
		}
	},
	{
		accountId: 'martin-kucera',
		givenName: 'Martin',
		familyName: 'Kučera',
		birthDate: '1969-09-17',
		sex: 'M',
		address: { street: '14 Ngong Road', locality: 'Nairobi', postalCode: '00100', country: 'KE' },
		list: { kind: 'embassy', embassyCode: 'nairobi' },
		description: {
			cs: 'Zapsán u velvyslanectví v Nairobi, které spravuje i Somálsko (vyloučený stát); sám žije v Keni: korespondenční hlasování na keňskou adresu je povoleno, na adresu v Somálsku je odmítnuto.',
			en: 'Registered at the embassy in Nairobi, which also covers Somalia (an excluded country); lives in Kenya: a package to his Kenyan address is allowed, one to an address in Somalia is refused.'
		}
	},
	{
		accountId: 'eva-horakova',
		givenName: 'Eva',
		familyName: 'Horáková',
		birthDate: '1987-04-02',
		sex: 'F',
		address: { street: '27 Maka Al Mukarama Road', locality: 'Mogadishu', postalCode: '', country: 'SO' },
		list: { kind: 'embassy', embassyCode: 'nairobi' },
		description: {
			cs: 'Zapsána u velvyslanectví v Nairobi, žije v Mogadišu (Somálsko, vyloučený stát podle § 58 odst. 3): žádost o zaslání písemností na somálskou adresu portál odmítne; převzetí na velvyslanectví lze zvolit.',
			en: 'Registered at the embassy in Nairobi, lives in Mogadishu (Somalia, excluded under §58(3)): the portal refuses mailing the package to her Somali address; collection at the embassy remains possible.'
		}
	},
	{
		accountId: 'josef-vesely',
		givenName: 'Josef',
		familyName: 'Veselý',
		birthDate: '1956-12-09',
		sex: 'M',
		address: { street: 'Kvilda 27', locality: 'Kvilda', postalCode: '384 93', country: 'CZ' },
		list: { kind: 'municipal', municipalityCode: '550337' },
		description: {
			cs: 'Volič z malé obce Kvilda: voličské průkazy pro volbu prezidenta (1. kolo, 2. kolo nebo obě kola).',
			en: 'Voter in the small village of Kvilda: voter cards for the presidential election (round 1, round 2 or both).'
		}
	},
	{
		accountId: 'alena-pokorna',
		givenName: 'Alena',
		familyName: 'Pokorná',
		birthDate: '1973-06-30',
		sex: 'F',
		address: { street: 'Rua do Carmo, 41, 2º', locality: 'Lisboa', postalCode: '1200-093', country: 'PT' },
		list: null,
		description: {
			cs: 'Žije v Lisabonu a není v žádném seznamu voličů: žádost o voličský průkaz i o korespondenční hlasování se odmítne; může se zapsat do zvláštního okrsku u velvyslanectví v Lisabonu.',
			en: 'Lives in Lisbon and is on no voter list: voter card and correspondence requests are refused; she may register in the special district of the embassy in Lisbon.'
		}
	},
	{
		accountId: 'adam-cerny',
		givenName: 'Adam',
		familyName: 'Černý',
		birthDate: '2010-05-14',
		sex: 'M',
		address: { street: 'Korunní 2456/98', locality: 'Praha', postalCode: '101 00', country: 'CZ' },
		list: null,
		description: {
			cs: 'Nezletilý (narozen 2010), v žádném seznamu voličů: portál každou žádost odmítne.',
			en: 'Under 18 (born 2010) and on no voter list: the portal refuses every request.'
		}
	},
	{
		accountId: 'zkouska-praha',
		givenName: 'Zdena',
		familyName: 'Zkušební',
		birthDate: '1988-02-29',
		sex: 'F',
		address: { street: 'Korunní 810/104', locality: 'Praha', postalCode: '101 00', country: 'CZ' },
		list: { kind: 'municipal', municipalityCode: '554782' },
		testIdentity: true,
		description: {
			cs: 'Testovací identita (ZKOUŠKA): vidí i zkoušky voleb, např. zkoušku u Prahy v době podávání žádostí.',
			en: 'Test identity (REHEARSAL): also sees rehearsal elections, e.g. the Praha rehearsal in its request period.'
		}
	},
	{
		accountId: 'zkouska-berlin',
		givenName: 'Zbyněk',
		familyName: 'Zkušební',
		birthDate: '1975-06-30',
		sex: 'M',
		address: { street: 'Wilhelmstraße 44', locality: 'Berlin', postalCode: '10117', country: 'DE' },
		list: { kind: 'embassy', embassyCode: 'berlin' },
		testIdentity: true,
		description: {
			cs: 'Testovací identita (ZKOUŠKA) ze zvláštního okrsku v Berlíně: vidí i zkoušky voleb.',
			en: "Test identity (REHEARSAL) on the Berlin embassy's special district: also sees rehearsal elections."
		}
	}
];

/** Voter rows for the identities that are on a list; the caller fills `eidSubject` (pairwise subject). */
export function testIdentityVoters(): VoterSeed[] {
	const out: VoterSeed[] = [];
	for (const id of TEST_IDENTITIES) {
		if (id.list === null) continue;
		out.push({
			givenName: id.givenName,
			familyName: id.familyName,
			birthDate: id.birthDate,
			sex: id.sex,
			list: { ...id.list },
			addressLine: id.address.street,
			city: id.address.locality,
			postalCode: id.address.postalCode,
			countryCode: id.address.country,
			eidSubject: null
		});
	}
	return out;
}
