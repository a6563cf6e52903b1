/**
 * Demo embassies: real Czech missions abroad, each keeping the voter list of
 * its special district (zvláštní volební okrsek).
 *
 * Addresses are the missions' postal addresses as far as known; the lists of
 * countries of jurisdiction are simplified (consulates general and honorary
 * consulates are left out, and for multi-country missions the list is
 * plausible rather than authoritative). Demo data, not a register.
 */

export interface EmbassySeed {
	/** Short stable slug, e.g. 'berlin'. */
	code: string;
	/** Czech name, e.g. 'Velvyslanectví České republiky v Berlíně'. */
	name: string;
	/** English name, e.g. 'Embassy of the Czech Republic in Berlin'. */
	nameEn: string;
	city: string;
	/** ISO 3166-1 alpha-2 of the seat. */
	countryCode: string;
	/** Postal address of the mission. */
	address: string;
	/** ISO alpha-2 codes of the countries of jurisdiction, the seat country first. */
	countries: string[];
	/** IANA time zone of the seat. */
	timeZone: string;
	/** Number of the special district, unique, 1..N. */
	specialDistrictNumber: number;
	/** Street names for generated voter addresses abroad. */
	streets: string[];
	/** Cities within the jurisdiction for generated voter addresses ('' postal code where the country has none). */
	cities: { name: string; postalCode: string; countryCode: string }[];
}

/**
 * Countries the government excluded from correspondence voting for 2025
 * (§58(3)): Afghanistan, Yemen, North Korea, Libya, Palestine, Haiti,
 * Somalia, Western Sahara. The list is per election; this is the seed value.
 */
export const EXCLUDED_COUNTRIES_2025: readonly string[] = ['AF', 'YE', 'KP', 'LY', 'PS', 'HT', 'SO', 'EH'];

const STREETS_DE = [
	'Hauptstraße',
	'Bahnhofstraße',
	'Schillerstraße',
	'Goethestraße',
	'Gartenstraße',
	'Lindenstraße',
	'Bergstraße',
	'Friedrichstraße'
];
const STREETS_EN_GB = [
	'High Street',
	'Station Road',
	'Church Lane',
	'Victoria Road',
	'Park Road',
	'Queen Street',
	'King Street',
	'Mill Lane'
];

export const EMBASSIES: EmbassySeed[] = [
	{
		code: 'berlin',
		name: 'Velvyslanectví České republiky v Berlíně',
		nameEn: 'Embassy of the Czech Republic in Berlin',
		city: 'Berlin',
		countryCode: 'DE',
		address: 'Wilhelmstraße 44, 10117 Berlin, Deutschland',
		countries: ['DE'],
		timeZone: 'Europe/Berlin',
		specialDistrictNumber: 1,
		streets: STREETS_DE,
		cities: [
			{ name: 'Berlin', postalCode: '10435', countryCode: 'DE' },
			{ name: 'München', postalCode: '80331', countryCode: 'DE' },
			{ name: 'Hamburg', postalCode: '20095', countryCode: 'DE' },
			{ name: 'Dresden', postalCode: '01067', countryCode: 'DE' },
			{ name: 'Leipzig', postalCode: '04109', countryCode: 'DE' },
			{ name: 'Köln', postalCode: '50667', countryCode: 'DE' }
		]
	},
	{
		code: 'vienna',
		name: 'Velvyslanectví České republiky ve Vídni',
		nameEn: 'Embassy of the Czech Republic in Vienna',
		city: 'Wien',
		countryCode: 'AT',
		address: 'Penzinger Straße 11–13, 1140 Wien, Österreich',
		countries: ['AT'],
		timeZone: 'Europe/Vienna',
		specialDistrictNumber: 2,
		streets: [
			'Hauptstraße',
			'Mariahilfer Straße',
			'Landstraßer Hauptstraße',
			'Bahnhofstraße',
			'Kirchengasse',
			'Schulgasse',
			'Wiener Straße',
			'Linzer Straße'
		],
		cities: [
			{ name: 'Wien', postalCode: '1070', countryCode: 'AT' },
			{ name: 'Graz', postalCode: '8010', countryCode: 'AT' },
			{ name: 'Linz', postalCode: '4020', countryCode: 'AT' },
			{ name: 'Salzburg', postalCode: '5020', countryCode: 'AT' },
			{ name: 'Innsbruck', postalCode: '6020', countryCode: 'AT' }
		]
	},
	{
		code: 'bratislava',
		name: 'Velvyslanectví České republiky v Bratislavě',
		nameEn: 'Embassy of the Czech Republic in Bratislava',
		city: 'Bratislava',
		countryCode: 'SK',
		address: 'Hviezdoslavovo námestie 8, 810 00 Bratislava, Slovensko',
		countries: ['SK'],
		timeZone: 'Europe/Bratislava',
		specialDistrictNumber: 3,
		streets: ['Hlavná', 'Obchodná', 'Štúrova', 'Hurbanova', 'Mierová', 'Kukučínova', 'Záhradnícka', 'Hviezdoslavova'],
		cities: [
			{ name: 'Bratislava', postalCode: '811 01', countryCode: 'SK' },
			{ name: 'Košice', postalCode: '040 01', countryCode: 'SK' },
			{ name: 'Žilina', postalCode: '010 01', countryCode: 'SK' },
			{ name: 'Nitra', postalCode: '949 01', countryCode: 'SK' },
			{ name: 'Banská Bystrica', postalCode: '974 01', countryCode: 'SK' }
		]
	},
	{
		code: 'london',
		name: 'Velvyslanectví České republiky v Londýně',
		nameEn: 'Embassy of the Czech Republic in London',
		city: 'London',
		countryCode: 'GB',
		address: '26–30 Kensington Palace Gardens, London W8 4QY, United Kingdom',
		countries: ['GB'],
		timeZone: 'Europe/London',
		specialDistrictNumber: 4,
		streets: STREETS_EN_GB,
		cities: [
			{ name: 'London', postalCode: 'NW1 6XE', countryCode: 'GB' },
			{ name: 'Manchester', postalCode: 'M1 1AE', countryCode: 'GB' },
			{ name: 'Edinburgh', postalCode: 'EH1 1YZ', countryCode: 'GB' },
			{ name: 'Birmingham', postalCode: 'B1 1BB', countryCode: 'GB' },
			{ name: 'Bristol', postalCode: 'BS1 4DJ', countryCode: 'GB' },
			{ name: 'Cardiff', postalCode: 'CF10 1EP', countryCode: 'GB' }
		]
	},
	{
		code: 'paris',
		name: 'Velvyslanectví České republiky v Paříži',
		nameEn: 'Embassy of the Czech Republic in Paris',
		city: 'Paris',
		countryCode: 'FR',
		address: '15, avenue Charles-Floquet, 75007 Paris, France',
		countries: ['FR', 'MC'],
		timeZone: 'Europe/Paris',
		specialDistrictNumber: 5,
		streets: [
			'rue de la République',
			'avenue Victor-Hugo',
			'boulevard Voltaire',
			'rue Pasteur',
			'rue Jean-Jaurès',
			'rue du Moulin',
			'avenue Foch',
			'rue des Écoles'
		],
		cities: [
			{ name: 'Paris', postalCode: '75011', countryCode: 'FR' },
			{ name: 'Lyon', postalCode: '69002', countryCode: 'FR' },
			{ name: 'Marseille', postalCode: '13001', countryCode: 'FR' },
			{ name: 'Toulouse', postalCode: '31000', countryCode: 'FR' },
			{ name: 'Strasbourg', postalCode: '67000', countryCode: 'FR' },
			{ name: 'Monaco', postalCode: '98000', countryCode: 'MC' }
		]
	},
	{
		code: 'brussels',
		name: 'Velvyslanectví České republiky v Bruselu',
		nameEn: 'Embassy of the Czech Republic in Brussels',
		city: 'Bruxelles',
		countryCode: 'BE',
		address: 'Avenue A. J. Slegers 154, 1200 Bruxelles, Belgique',
		countries: ['BE'],
		timeZone: 'Europe/Brussels',
		specialDistrictNumber: 6,
		streets: [
			'Rue Royale',
			'Avenue Louise',
			'Kerkstraat',
			'Stationsstraat',
			'Rue Neuve',
			'Rue de la Loi',
			'Molenstraat',
			'Chaussée de Wavre'
		],
		cities: [
			{ name: 'Bruxelles', postalCode: '1000', countryCode: 'BE' },
			{ name: 'Antwerpen', postalCode: '2000', countryCode: 'BE' },
			{ name: 'Gent', postalCode: '9000', countryCode: 'BE' },
			{ name: 'Liège', postalCode: '4000', countryCode: 'BE' },
			{ name: 'Leuven', postalCode: '3000', countryCode: 'BE' }
		]
	},
	{
		code: 'washington',
		name: 'Velvyslanectví České republiky ve Washingtonu',
		nameEn: 'Embassy of the Czech Republic in Washington',
		city: 'Washington',
		countryCode: 'US',
		address: '3900 Spring of Freedom Street NW, Washington, DC 20008, USA',
		countries: ['US'],
		timeZone: 'America/New_York',
		specialDistrictNumber: 7,
		streets: [
			'Main Street',
			'Oak Street',
			'Maple Avenue',
			'Park Avenue',
			'Washington Street',
			'Elm Street',
			'Lake Street',
			'Pine Street'
		],
		cities: [
			{ name: 'Washington, DC', postalCode: '20009', countryCode: 'US' },
			{ name: 'New York, NY', postalCode: '10025', countryCode: 'US' },
			{ name: 'Chicago, IL', postalCode: '60614', countryCode: 'US' },
			{ name: 'Houston, TX', postalCode: '77002', countryCode: 'US' },
			{ name: 'San Francisco, CA', postalCode: '94110', countryCode: 'US' },
			{ name: 'Seattle, WA', postalCode: '98103', countryCode: 'US' }
		]
	},
	{
		code: 'ottawa',
		name: 'Velvyslanectví České republiky v Ottawě',
		nameEn: 'Embassy of the Czech Republic in Ottawa',
		city: 'Ottawa',
		countryCode: 'CA',
		address: '251 Cooper Street, Ottawa, ON K2P 0G2, Canada',
		countries: ['CA'],
		timeZone: 'America/Toronto',
		specialDistrictNumber: 8,
		streets: [
			'King Street West',
			'Queen Street',
			'Main Street',
			'Maple Avenue',
			'Elgin Street',
			'Bank Street',
			'Wellington Street',
			'Yonge Street'
		],
		cities: [
			{ name: 'Ottawa, ON', postalCode: 'K2P 1L4', countryCode: 'CA' },
			{ name: 'Toronto, ON', postalCode: 'M5V 2T6', countryCode: 'CA' },
			{ name: 'Montréal, QC', postalCode: 'H2X 1Y6', countryCode: 'CA' },
			{ name: 'Vancouver, BC', postalCode: 'V6B 1A1', countryCode: 'CA' },
			{ name: 'Calgary, AB', postalCode: 'T2P 1J9', countryCode: 'CA' }
		]
	},
	{
		code: 'canberra',
		name: 'Velvyslanectví České republiky v Canbeře',
		nameEn: 'Embassy of the Czech Republic in Canberra',
		city: 'Canberra',
		countryCode: 'AU',
		address: "8 Culgoa Circuit, O'Malley ACT 2606, Australia",
		countries: ['AU', 'NZ', 'FJ', 'PG', 'SB', 'VU', 'WS', 'TO'],
		timeZone: 'Australia/Sydney',
		specialDistrictNumber: 9,
		streets: [
			'George Street',
			'Queen Street',
			'King Street',
			'Victoria Street',
			'Elizabeth Street',
			'High Street',
			'Church Street',
			'Beach Road'
		],
		cities: [
			{ name: 'Canberra ACT', postalCode: '2601', countryCode: 'AU' },
			{ name: 'Sydney NSW', postalCode: '2000', countryCode: 'AU' },
			{ name: 'Melbourne VIC', postalCode: '3000', countryCode: 'AU' },
			{ name: 'Perth WA', postalCode: '6000', countryCode: 'AU' },
			{ name: 'Auckland', postalCode: '1010', countryCode: 'NZ' },
			{ name: 'Wellington', postalCode: '6011', countryCode: 'NZ' }
		]
	},
	{
		code: 'tokyo',
		name: 'Velvyslanectví České republiky v Tokiu',
		nameEn: 'Embassy of the Czech Republic in Tokyo',
		city: 'Tokyo',
		countryCode: 'JP',
		address: '2-16-14 Hiroo, Shibuya-ku, Tokyo 150-0012, Japan',
		countries: ['JP'],
		timeZone: 'Asia/Tokyo',
		specialDistrictNumber: 10,
		// Japanese addresses name a district (chō), not a street: "2-16-14 Hiroo".
		streets: ['Hiroo', 'Roppongi', 'Akasaka', 'Ebisu', 'Kita-Aoyama', 'Nishi-Shinjuku', 'Azabu-Jūban', 'Shirokane'],
		cities: [
			{ name: 'Tokyo', postalCode: '150-0012', countryCode: 'JP' },
			{ name: 'Osaka', postalCode: '530-0001', countryCode: 'JP' },
			{ name: 'Yokohama', postalCode: '220-0011', countryCode: 'JP' },
			{ name: 'Kyoto', postalCode: '600-8216', countryCode: 'JP' },
			{ name: 'Sapporo', postalCode: '060-0001', countryCode: 'JP' }
		]
	},
	{
		code: 'madrid',
		name: 'Velvyslanectví České republiky v Madridu',
		nameEn: 'Embassy of the Czech Republic in Madrid',
		city: 'Madrid',
		countryCode: 'ES',
		address: 'Avenida Pío XII, 22–24, 28016 Madrid, España',
		countries: ['ES', 'AD'],
		timeZone: 'Europe/Madrid',
		specialDistrictNumber: 11,
		streets: [
			'Calle Mayor',
			'Calle de Alcalá',
			'Gran Vía',
			'Calle Real',
			'Avenida de la Constitución',
			'Calle del Carmen',
			'Calle de Serrano',
			'Paseo de Gracia'
		],
		cities: [
			{ name: 'Madrid', postalCode: '28016', countryCode: 'ES' },
			{ name: 'Barcelona', postalCode: '08001', countryCode: 'ES' },
			{ name: 'Valencia', postalCode: '46001', countryCode: 'ES' },
			{ name: 'Sevilla', postalCode: '41001', countryCode: 'ES' },
			{ name: 'Málaga', postalCode: '29001', countryCode: 'ES' },
			{ name: 'Andorra la Vella', postalCode: 'AD500', countryCode: 'AD' }
		]
	},
	{
		code: 'dublin',
		name: 'Velvyslanectví České republiky v Dublinu',
		nameEn: 'Embassy of the Czech Republic in Dublin',
		city: 'Dublin',
		countryCode: 'IE',
		address: '57 Northumberland Road, Ballsbridge, Dublin 4, Ireland',
		countries: ['IE'],
		timeZone: 'Europe/Dublin',
		specialDistrictNumber: 12,
		streets: [
			'Main Street',
			'Church Road',
			'Northumberland Road',
			'Grafton Street',
			'Patrick Street',
			'Shop Street',
			'Dublin Road',
			'Parnell Street'
		],
		// Eircode routing keys only: full Eircodes identify single buildings.
		cities: [
			{ name: 'Dublin', postalCode: 'D04', countryCode: 'IE' },
			{ name: 'Cork', postalCode: 'T12', countryCode: 'IE' },
			{ name: 'Galway', postalCode: 'H91', countryCode: 'IE' },
			{ name: 'Limerick', postalCode: 'V94', countryCode: 'IE' }
		]
	},
	{
		code: 'lisbon',
		name: 'Velvyslanectví České republiky v Lisabonu',
		nameEn: 'Embassy of the Czech Republic in Lisbon',
		city: 'Lisboa',
		countryCode: 'PT',
		address: 'Rua Pêro de Alenquer, 14, 1400-294 Lisboa, Portugal',
		countries: ['PT'],
		timeZone: 'Europe/Lisbon',
		specialDistrictNumber: 13,
		streets: [
			'Rua Augusta',
			'Avenida da Liberdade',
			'Rua de Santa Catarina',
			'Rua do Carmo',
			'Avenida da República',
			'Rua Direita',
			'Rua da Prata',
			'Rua Dom Pedro V'
		],
		cities: [
			{ name: 'Lisboa', postalCode: '1100-148', countryCode: 'PT' },
			{ name: 'Porto', postalCode: '4000-322', countryCode: 'PT' },
			{ name: 'Coimbra', postalCode: '3000-141', countryCode: 'PT' },
			{ name: 'Braga', postalCode: '4700-435', countryCode: 'PT' },
			{ name: 'Faro', postalCode: '8000-138', countryCode: 'PT' }
		]
	},
	{
		code: 'buenos-aires',
		name: 'Velvyslanectví České republiky v Buenos Aires',
		nameEn: 'Embassy of the Czech Republic in Buenos Aires',
		city: 'Buenos Aires',
		countryCode: 'AR',
		address: 'Junín 1461, C1113AAM Buenos Aires, Argentina',
		countries: ['AR', 'UY', 'PY'],
		timeZone: 'America/Argentina/Buenos_Aires',
		specialDistrictNumber: 14,
		streets: [
			'Avenida Corrientes',
			'Avenida Rivadavia',
			'Calle San Martín',
			'Calle Belgrano',
			'Calle Sarmiento',
			'Avenida del Libertador',
			'Calle Mitre',
			'Calle Artigas'
		],
		cities: [
			{ name: 'Buenos Aires', postalCode: 'C1043', countryCode: 'AR' },
			{ name: 'Córdoba', postalCode: 'X5000', countryCode: 'AR' },
			{ name: 'Rosario', postalCode: 'S2000', countryCode: 'AR' },
			{ name: 'Mendoza', postalCode: 'M5500', countryCode: 'AR' },
			{ name: 'Montevideo', postalCode: '11000', countryCode: 'UY' },
			{ name: 'Asunción', postalCode: '001209', countryCode: 'PY' }
		]
	},
	{
		code: 'pretoria',
		name: 'Velvyslanectví České republiky v Pretorii',
		nameEn: 'Embassy of the Czech Republic in Pretoria',
		city: 'Pretoria',
		countryCode: 'ZA',
		address: '936 Pretorius Street, Arcadia, Pretoria 0083, South Africa',
		countries: ['ZA', 'BW', 'LS', 'SZ', 'NA'],
		timeZone: 'Africa/Johannesburg',
		specialDistrictNumber: 15,
		streets: [
			'Church Street',
			'Main Road',
			'Jan Smuts Avenue',
			'Long Street',
			'Pretorius Street',
			'Oxford Road',
			'Kingsway',
			'Voortrekker Road'
		],
		cities: [
			{ name: 'Pretoria', postalCode: '0083', countryCode: 'ZA' },
			{ name: 'Johannesburg', postalCode: '2196', countryCode: 'ZA' },
			{ name: 'Cape Town', postalCode: '8001', countryCode: 'ZA' },
			{ name: 'Durban', postalCode: '4001', countryCode: 'ZA' },
			{ name: 'Gaborone', postalCode: '', countryCode: 'BW' }
		]
	},
	{
		// Covers Somalia, on the 2025 excluded list (§58(3)).
		code: 'nairobi',
		name: 'Velvyslanectví České republiky v Nairobi',
		nameEn: 'Embassy of the Czech Republic in Nairobi',
		city: 'Nairobi',
		countryCode: 'KE',
		address: 'Jumia Place, Lenana Road, P.O. Box 48785-00100, Nairobi, Kenya',
		countries: ['KE', 'SO', 'UG', 'RW', 'SC'],
		timeZone: 'Africa/Nairobi',
		specialDistrictNumber: 16,
		streets: [
			'Moi Avenue',
			'Kenyatta Avenue',
			'Ngong Road',
			'Waiyaki Way',
			'Lenana Road',
			'Kimathi Street',
			'Haile Selassie Avenue',
			'Mombasa Road'
		],
		cities: [
			{ name: 'Nairobi', postalCode: '00100', countryCode: 'KE' },
			{ name: 'Mombasa', postalCode: '80100', countryCode: 'KE' },
			{ name: 'Kisumu', postalCode: '40100', countryCode: 'KE' },
			{ name: 'Kampala', postalCode: '', countryCode: 'UG' },
			{ name: 'Mogadishu', postalCode: '', countryCode: 'SO' }
		]
	},
	{
		// Covers Yemen, on the 2025 excluded list (§58(3)).
		code: 'riyadh',
		name: 'Velvyslanectví České republiky v Rijádu',
		nameEn: 'Embassy of the Czech Republic in Riyadh',
		city: 'Riyadh',
		countryCode: 'SA',
		address: 'Diplomatic Quarter, P.O. Box 94312, Riyadh 11693, Saudi Arabia',
		countries: ['SA', 'YE'],
		timeZone: 'Asia/Riyadh',
		specialDistrictNumber: 17,
		streets: [
			'King Fahd Road',
			'Olaya Street',
			'Tahlia Street',
			'Prince Sultan Road',
			'King Abdulaziz Road',
			'Makkah Road',
			'Al Urubah Road',
			'Prince Turki Street'
		],
		cities: [
			{ name: 'Riyadh', postalCode: '12211', countryCode: 'SA' },
			{ name: 'Jeddah', postalCode: '21442', countryCode: 'SA' },
			{ name: 'Dammam', postalCode: '32241', countryCode: 'SA' },
			{ name: 'Sanaa', postalCode: '', countryCode: 'YE' }
		]
	},
	{
		code: 'seoul',
		name: 'Velvyslanectví České republiky v Soulu',
		nameEn: 'Embassy of the Czech Republic in Seoul',
		city: 'Seoul',
		countryCode: 'KR',
		address: '1-121 Sinmunno 2-ga, Jongno-gu, Seoul 03183, Republic of Korea',
		countries: ['KR'],
		timeZone: 'Asia/Seoul',
		specialDistrictNumber: 18,
		streets: [
			'Sejong-daero',
			'Teheran-ro',
			'Jong-ro',
			'Hangang-daero',
			'Eulji-ro',
			'Gangnam-daero',
			'Toegye-ro',
			'Dosan-daero'
		],
		cities: [
			{ name: 'Seoul', postalCode: '03187', countryCode: 'KR' },
			{ name: 'Busan', postalCode: '48058', countryCode: 'KR' },
			{ name: 'Incheon', postalCode: '21554', countryCode: 'KR' },
			{ name: 'Daegu', postalCode: '41911', countryCode: 'KR' }
		]
	}
];

const byCode = new Map(EMBASSIES.map((e) => [e.code, e]));

export function embassyByCode(code: string): EmbassySeed | undefined {
	return byCode.get(code);
}

/** Czech and English names of every country code used in the seed data, plus the excluded list. */
export const COUNTRY_NAMES: Record<string, { cs: string; en: string }> = {
	CZ: { cs: 'Česko', en: 'Czechia' },
	DE: { cs: 'Německo', en: 'Germany' },
	AT: { cs: 'Rakousko', en: 'Austria' },
	SK: { cs: 'Slovensko', en: 'Slovakia' },
	GB: { cs: 'Spojené království', en: 'United Kingdom' },
	FR: { cs: 'Francie', en: 'France' },
	MC: { cs: 'Monako', en: 'Monaco' },
	BE: { cs: 'Belgie', en: 'Belgium' },
	US: { cs: 'Spojené státy americké', en: 'United States' },
	CA: { cs: 'Kanada', en: 'Canada' },
	AU: { cs: 'Austrálie', en: 'Australia' },
	NZ: { cs: 'Nový Zéland', en: 'New Zealand' },
	FJ: { cs: 'Fidži', en: 'Fiji' },
	PG: { cs: 'Papua Nová Guinea', en: 'Papua New Guinea' },
	SB: { cs: 'Šalamounovy ostrovy', en: 'Solomon Islands' },
	VU: { cs: 'Vanuatu', en: 'Vanuatu' },
	WS: { cs: 'Samoa', en: 'Samoa' },
	TO: { cs: 'Tonga', en: 'Tonga' },
	JP: { cs: 'Japonsko', en: 'Japan' },
	ES: { cs: 'Španělsko', en: 'Spain' },
	AD: { cs: 'Andorra', en: 'Andorra' },
	IE: { cs: 'Irsko', en: 'Ireland' },
	PT: { cs: 'Portugalsko', en: 'Portugal' },
	AR: { cs: 'Argentina', en: 'Argentina' },
	UY: { cs: 'Uruguay', en: 'Uruguay' },
	PY: { cs: 'Paraguay', en: 'Paraguay' },
	ZA: { cs: 'Jihoafrická republika', en: 'South Africa' },
	BW: { cs: 'Botswana', en: 'Botswana' },
	LS: { cs: 'Lesotho', en: 'Lesotho' },
	SZ: { cs: 'Eswatini', en: 'Eswatini' },
	NA: { cs: 'Namibie', en: 'Namibia' },
	KE: { cs: 'Keňa', en: 'Kenya' },
	SO: { cs: 'Somálsko', en: 'Somalia' },
	UG: { cs: 'Uganda', en: 'Uganda' },
	RW: { cs: 'Rwanda', en: 'Rwanda' },
	SC: { cs: 'Seychely', en: 'Seychelles' },
	SA: { cs: 'Saúdská Arábie', en: 'Saudi Arabia' },
	YE: { cs: 'Jemen', en: 'Yemen' },
	KR: { cs: 'Korejská republika', en: 'Republic of Korea' },
	KP: { cs: 'Korejská lidově demokratická republika', en: "Democratic People's Republic of Korea" },
	AF: { cs: 'Afghánistán', en: 'Afghanistan' },
	LY: { cs: 'Libye', en: 'Libya' },
	PS: { cs: 'Palestina', en: 'Palestine' },
	HT: { cs: 'Haiti', en: 'Haiti' },
	EH: { cs: 'Západní Sahara', en: 'Western Sahara' }
};
