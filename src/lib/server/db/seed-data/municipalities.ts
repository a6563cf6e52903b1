/**
 * Demo municipalities: real Czech municipalities with their real RÚIAN
 * municipality codes (kód obce), for seeding municipal offices and the
 * voter lists they keep.
 *
 * Office addresses are those of the town halls as far as known; they are demo
 * data, not an authoritative register. Senate constituency numbers are the
 * constituency of the office's seat where known, otherwise a plausible one
 * (see the report that accompanied this file).
 *
 * Simplification: in Praha, Brno, Ostrava and Plzeň the voter lists are in
 * reality kept by the offices of the city districts (úřady městských částí /
 * obvodů); the demo keeps one list per municipality, at the city hall.
 */

export interface MunicipalitySeed {
	/** 6-digit RÚIAN municipality code (kód obce). */
	code: string;
	name: string;
	/** The municipal office that keeps the voter list. */
	officeName: string;
	/** Street and number, PSČ, city. */
	officeAddress: string;
	/** CZ-NUTS 3 code of the region (kraj), e.g. 'CZ010'. */
	regionCode: string;
	regionName: string;
	/** Senate constituency (1–81) of the office's seat. */
	senateConstituency: number;
	/**
	 * Street names used for generated addresses. For villages without street
	 * names these are the parts of the municipality (části obce): addresses
	 * there read "Bučina 12" (part and house number), as in reality.
	 */
	streets: string[];
	/** PSČ used for generated addresses, formatted 'NNN NN'. */
	postalCode: string;
	/** Approximate number of inhabitants; weights the generator and picks the address style. */
	population: number;
}

/** Municipalities below this size have no street names: addresses are "part + house number". */
export const VILLAGE_POPULATION_LIMIT = 2000;

export const REGIONS: Record<string, string> = {
	CZ010: 'Hlavní město Praha',
	CZ020: 'Středočeský kraj',
	CZ031: 'Jihočeský kraj',
	CZ032: 'Plzeňský kraj',
	CZ041: 'Karlovarský kraj',
	CZ042: 'Ústecký kraj',
	CZ051: 'Liberecký kraj',
	CZ052: 'Královéhradecký kraj',
	CZ053: 'Pardubický kraj',
	CZ063: 'Kraj Vysočina',
	CZ064: 'Jihomoravský kraj',
	CZ071: 'Olomoucký kraj',
	CZ072: 'Zlínský kraj',
	CZ080: 'Moravskoslezský kraj'
};

function region(regionCode: string): { regionCode: string; regionName: string } {
	const regionName = REGIONS[regionCode];
	if (regionName === undefined) throw new Error(`Unknown region ${regionCode}`);
	return { regionCode, regionName };
}

export const MUNICIPALITIES: MunicipalitySeed[] = [
	{
		code: '554782',
		name: 'Praha',
		officeName: 'Magistrát hlavního města Prahy',
		officeAddress: 'Mariánské náměstí 2/2, 110 00 Praha 1',
		...region('CZ010'),
		senateConstituency: 27,
		streets: [
			'Vinohradská',
			'Korunní',
			'Táboritská',
			'Milady Horákové',
			'Sokolovská',
			'Budějovická',
			'Jugoslávských partyzánů',
			'Plzeňská',
			'Národní',
			'Bělehradská'
		],
		postalCode: '130 00',
		population: 1_384_000
	},
	{
		code: '582786',
		name: 'Brno',
		officeName: 'Magistrát města Brna',
		officeAddress: 'Dominikánské náměstí 196/1, 602 00 Brno',
		...region('CZ064'),
		senateConstituency: 60,
		streets: [
			'Kounicova',
			'Veveří',
			'Lidická',
			'Údolní',
			'Cejl',
			'Křenová',
			'Masarykova',
			'Palackého třída',
			'Vídeňská',
			'Štefánikova'
		],
		postalCode: '602 00',
		population: 400_000
	},
	{
		code: '554821',
		name: 'Ostrava',
		officeName: 'Magistrát města Ostravy',
		officeAddress: 'Prokešovo náměstí 1803/8, 702 00 Ostrava',
		...region('CZ080'),
		senateConstituency: 71,
		streets: [
			'28. října',
			'Nádražní',
			'Českobratrská',
			'Výškovická',
			'Hlavní třída',
			'Opavská',
			'Dr. Slabihoudka',
			'Horní',
			'Sokolská třída'
		],
		postalCode: '702 00',
		population: 284_000
	},
	{
		code: '554791',
		name: 'Plzeň',
		officeName: 'Magistrát města Plzně',
		officeAddress: 'náměstí Republiky 1/1, 301 00 Plzeň',
		...region('CZ032'),
		senateConstituency: 9,
		streets: [
			'Americká',
			'Klatovská třída',
			'Slovanská třída',
			'Prešovská',
			'Karlovarská',
			'Borská',
			'Lochotínská',
			'Skrétova',
			'Husova'
		],
		postalCode: '301 00',
		population: 185_000
	},
	{
		code: '563889',
		name: 'Liberec',
		officeName: 'Magistrát města Liberec',
		officeAddress: 'náměstí Dr. E. Beneše 1/1, 460 01 Liberec',
		...region('CZ051'),
		senateConstituency: 35,
		streets: ['Pražská', 'Moskevská', '1. máje', 'Jablonecká', 'Husova', 'Sokolovská', 'Ještědská', 'Tanvaldská'],
		postalCode: '460 01',
		population: 105_000
	},
	{
		code: '500496',
		name: 'Olomouc',
		officeName: 'Magistrát města Olomouce',
		officeAddress: 'Horní náměstí 583, 779 00 Olomouc',
		...region('CZ071'),
		senateConstituency: 61,
		streets: [
			'třída Svobody',
			'Masarykova třída',
			'Palackého',
			'Kosmonautů',
			'Hodolanská',
			'třída Míru',
			'Wolkerova',
			'Pavelčákova'
		],
		postalCode: '779 00',
		population: 102_000
	},
	{
		code: '544256',
		name: 'České Budějovice',
		officeName: 'Magistrát města České Budějovice',
		officeAddress: 'náměstí Přemysla Otakara II. 1/1, 370 01 České Budějovice',
		...region('CZ031'),
		senateConstituency: 14,
		streets: [
			'Lannova třída',
			'Krajinská',
			'Husova třída',
			'Pražská třída',
			'Rudolfovská třída',
			'Nádražní',
			'Žižkova třída',
			'Karla IV.'
		],
		postalCode: '370 01',
		population: 97_000
	},
	{
		code: '569810',
		name: 'Hradec Králové',
		officeName: 'Magistrát města Hradce Králové',
		officeAddress: 'Československé armády 408/51, 500 03 Hradec Králové',
		...region('CZ052'),
		senateConstituency: 45,
		streets: [
			'Gočárova třída',
			'Pražská třída',
			'třída Karla IV.',
			'Pospíšilova třída',
			'Brněnská',
			'Resslova',
			'Labská kotlina',
			'Hradecká'
		],
		postalCode: '500 03',
		population: 93_000
	},
	{
		code: '554804',
		name: 'Ústí nad Labem',
		officeName: 'Magistrát města Ústí nad Labem',
		officeAddress: 'Velká Hradební 2336/8, 400 01 Ústí nad Labem',
		...region('CZ042'),
		senateConstituency: 31,
		streets: [
			'Masarykova',
			'Pařížská',
			'Hrnčířská',
			'Klíšská',
			'Revoluční',
			'Sociální péče',
			'Předlická',
			'Velká Hradební'
		],
		postalCode: '400 01',
		population: 92_000
	},
	{
		code: '555134',
		name: 'Pardubice',
		officeName: 'Magistrát města Pardubic',
		officeAddress: 'Pernštýnské náměstí 1, 530 02 Pardubice',
		...region('CZ053'),
		senateConstituency: 43,
		streets: [
			'třída Míru',
			'Palackého třída',
			'Sladkovského',
			'Jana Palacha',
			'Pernerova',
			'Štrossova',
			'Dašická',
			'Hlaváčova'
		],
		postalCode: '530 02',
		population: 92_000
	},
	{
		code: '585068',
		name: 'Zlín',
		officeName: 'Magistrát města Zlína',
		officeAddress: 'náměstí Míru 12, 760 01 Zlín',
		...region('CZ072'),
		senateConstituency: 80,
		streets: [
			'třída Tomáše Bati',
			'Štefánikova',
			'Kvítková',
			'Dlouhá',
			'Okružní',
			'Benešovo nábřeží',
			'Zarámí',
			'Nad Ovčírnou'
		],
		postalCode: '760 01',
		population: 74_000
	},
	{
		code: '586846',
		name: 'Jihlava',
		officeName: 'Magistrát města Jihlavy',
		officeAddress: 'Masarykovo náměstí 97/1, 586 01 Jihlava',
		...region('CZ063'),
		senateConstituency: 52,
		streets: ['Komenského', 'Znojemská', 'Brněnská', 'Havlíčkova', 'Vrchlického', 'Jiráskova', 'Žižkova', 'Srázná'],
		postalCode: '586 01',
		population: 54_000
	},
	{
		code: '554961',
		name: 'Karlovy Vary',
		officeName: 'Magistrát města Karlovy Vary',
		officeAddress: 'Moskevská 2035/21, 361 01 Karlovy Vary',
		...region('CZ041'),
		senateConstituency: 1,
		streets: [
			'Moskevská',
			'Bělehradská',
			'Sokolovská',
			'třída T. G. Masaryka',
			'Nádražní',
			'Jáchymovská',
			'Vítězná',
			'Zeyerova'
		],
		postalCode: '360 01',
		population: 46_000
	},
	{
		code: '552046',
		name: 'Tábor',
		officeName: 'Městský úřad Tábor',
		officeAddress: 'Žižkovo náměstí 2, 390 01 Tábor',
		...region('CZ031'),
		senateConstituency: 13,
		streets: [
			'Budějovická',
			'Pražská',
			'Kpt. Jaroše',
			'Čápova',
			'Vožická',
			'Chýnovská',
			'Bydlinského',
			'Světlogorská'
		],
		postalCode: '390 01',
		population: 34_000
	},
	{
		code: '590266',
		name: 'Třebíč',
		officeName: 'Městský úřad Třebíč',
		officeAddress: 'Karlovo náměstí 104/55, 674 01 Třebíč',
		...region('CZ063'),
		senateConstituency: 53,
		streets: [
			'Bráfova',
			'Hrotovická',
			'Jihlavská',
			'Znojemská',
			'Smila Osovského',
			'Vltavínská',
			'Sportovní',
			'Spojenců'
		],
		postalCode: '674 01',
		population: 34_000
	},
	{
		code: '593711',
		name: 'Znojmo',
		officeName: 'Městský úřad Znojmo',
		officeAddress: 'Obroková 1/12, 669 02 Znojmo',
		...region('CZ064'),
		senateConstituency: 54,
		streets: [
			'Pražská',
			'Vídeňská třída',
			'Dukelských bojovníků',
			'Rooseveltova',
			'Horní Česká',
			'Kuchařovická',
			'Pontassievská',
			'Mládeže'
		],
		postalCode: '669 02',
		population: 34_000
	},
	{
		code: '549240',
		name: 'Písek',
		officeName: 'Městský úřad Písek',
		officeAddress: 'Velké náměstí 114/3, 397 01 Písek',
		...region('CZ031'),
		senateConstituency: 12,
		streets: ['Budovcova', 'Pražská', 'Alšova', 'Čechova', 'Harantova', 'Komenského', 'Erbenova', 'Budějovická'],
		postalCode: '397 01',
		population: 30_000
	},
	{
		code: '533955',
		name: 'Kutná Hora',
		officeName: 'Městský úřad Kutná Hora',
		officeAddress: 'Havlíčkovo náměstí 552/1, 284 01 Kutná Hora',
		...region('CZ020'),
		senateConstituency: 40,
		streets: ['Husova', 'Vítězná', 'Masarykova', 'Čáslavská', 'Kollárova', 'Šultysova', 'Benešova', 'Puškinská'],
		postalCode: '284 01',
		population: 21_000
	},
	{
		code: '545392',
		name: 'Český Krumlov',
		officeName: 'Městský úřad Český Krumlov',
		officeAddress: 'náměstí Svornosti 1, 381 01 Český Krumlov',
		...region('CZ031'),
		senateConstituency: 10,
		streets: ['Linecká', 'Horní', 'Latrán', 'Kaplická', 'Budějovická', 'Plešivecká', 'Urbinská', 'Vyšehradská'],
		postalCode: '381 01',
		population: 13_000
	},
	{
		code: '578274',
		name: 'Litomyšl',
		officeName: 'Městský úřad Litomyšl',
		officeAddress: 'Bří Šťastných 1000, 570 01 Litomyšl',
		...region('CZ053'),
		senateConstituency: 50,
		streets: [
			'Smetanovo náměstí',
			'Sokolovská',
			'T. G. Masaryka',
			'Nádražní',
			'Partyzánská',
			'Mařákova',
			'J. E. Purkyně',
			'Zámecká'
		],
		postalCode: '570 01',
		population: 10_000
	},
	{
		code: '550337',
		name: 'Kvilda',
		officeName: 'Obecní úřad Kvilda',
		officeAddress: 'Kvilda 15, 384 93 Kvilda',
		...region('CZ031'),
		senateConstituency: 10,
		streets: ['Kvilda', 'Bučina', 'Františkov'],
		postalCode: '384 93',
		population: 140
	},
	{
		code: '562513',
		name: 'Hřensko',
		officeName: 'Obecní úřad Hřensko',
		officeAddress: 'Hřensko 37, 407 17 Hřensko',
		...region('CZ042'),
		senateConstituency: 33,
		streets: ['Hřensko', 'Mezná', 'Mezní Louka'],
		postalCode: '407 17',
		population: 250
	}
];

const byCode = new Map(MUNICIPALITIES.map((m) => [m.code, m]));

export function municipalityByCode(code: string): MunicipalitySeed | undefined {
	return byCode.get(code);
}
