/**
 * Common Czech given names and surnames for generated voters, roughly in
 * order of frequency (the generator favours the start of each list).
 */

export const MALE_GIVEN_NAMES: readonly string[] = [
	'Jan', 'Petr', 'Josef', 'Pavel', 'Martin', 'Tomáš', 'Jaroslav', 'Jiří', 'Miroslav', 'Zdeněk',
	'Václav', 'Michal', 'František', 'Karel', 'Milan', 'Lukáš', 'Jakub', 'David', 'Ondřej', 'Vladimír',
	'Ladislav', 'Stanislav', 'Roman', 'Marek', 'Radek', 'Daniel', 'Antonín', 'Vojtěch', 'Filip', 'Adam',
	'Matěj', 'Aleš', 'Libor', 'Jaromír', 'Vlastimil', 'Dominik', 'Oldřich', 'Miloslav', 'Rudolf', 'Bohumil',
	'Luboš', 'Dušan', 'Radim', 'Robert', 'Patrik', 'Vít', 'Štěpán', 'Šimon', 'Kryštof', 'Bohuslav',
	'Ivan', 'Igor', 'Richard', 'Viktor', 'Kamil', 'Zbyněk', 'Přemysl', 'Eduard', 'Alois', 'Emil',
	'Ludvík', 'Matyáš', 'Hynek'
];

export const FEMALE_GIVEN_NAMES: readonly string[] = [
	'Jana', 'Marie', 'Eva', 'Hana', 'Anna', 'Lenka', 'Kateřina', 'Věra', 'Lucie', 'Alena',
	'Petra', 'Jaroslava', 'Veronika', 'Martina', 'Jitka', 'Tereza', 'Ludmila', 'Helena', 'Michaela', 'Zdeňka',
	'Ivana', 'Monika', 'Jarmila', 'Zuzana', 'Jiřina', 'Markéta', 'Barbora', 'Eliška', 'Dagmar', 'Kristýna',
	'Vlasta', 'Božena', 'Marcela', 'Libuše', 'Dana', 'Irena', 'Miroslava', 'Klára', 'Pavla', 'Andrea',
	'Simona', 'Nikola', 'Adéla', 'Natálie', 'Karolína', 'Blanka', 'Radka', 'Šárka', 'Renata', 'Olga',
	'Milada', 'Gabriela', 'Denisa', 'Drahomíra', 'Iveta', 'Romana', 'Štěpánka', 'Kamila', 'Vladimíra', 'Žaneta',
	'Daniela', 'Magdaléna', 'Ema', 'Anežka'
];

export interface SurnamePair {
	male: string;
	female: string;
}

/**
 * Surnames with both forms stored explicitly; `feminineSurname` derives the
 * same female forms by rule (checked by the tests).
 */
export const SURNAMES: readonly SurnamePair[] = (
	[
		['Novák', 'Nováková'], ['Svoboda', 'Svobodová'], ['Novotný', 'Novotná'], ['Dvořák', 'Dvořáková'],
		['Černý', 'Černá'], ['Procházka', 'Procházková'], ['Kučera', 'Kučerová'], ['Veselý', 'Veselá'],
		['Horák', 'Horáková'], ['Němec', 'Němcová'], ['Marek', 'Marková'], ['Pokorný', 'Pokorná'],
		['Pospíšil', 'Pospíšilová'], ['Hájek', 'Hájková'], ['Král', 'Králová'], ['Jelínek', 'Jelínková'],
		['Růžička', 'Růžičková'], ['Beneš', 'Benešová'], ['Fiala', 'Fialová'], ['Sedláček', 'Sedláčková'],
		['Doležal', 'Doležalová'], ['Zeman', 'Zemanová'], ['Kolář', 'Kolářová'], ['Navrátil', 'Navrátilová'],
		['Čermák', 'Čermáková'], ['Vaněk', 'Vaňková'], ['Urban', 'Urbanová'], ['Blažek', 'Blažková'],
		['Kříž', 'Křížová'], ['Kovář', 'Kovářová'], ['Bartoš', 'Bartošová'], ['Vlček', 'Vlčková'],
		['Polák', 'Poláková'], ['Musil', 'Musilová'], ['Kopecký', 'Kopecká'], ['Šimek', 'Šimková'],
		['Konečný', 'Konečná'], ['Malý', 'Malá'], ['Holub', 'Holubová'], ['Štěpánek', 'Štěpánková'],
		['Kadlec', 'Kadlecová'], ['Dostál', 'Dostálová'], ['Soukup', 'Soukupová'], ['Šťastný', 'Šťastná'],
		['Mareš', 'Marešová'], ['Moravec', 'Moravcová'], ['Sýkora', 'Sýkorová'], ['Tichý', 'Tichá'],
		['Valenta', 'Valentová'], ['Vávra', 'Vávrová'], ['Matoušek', 'Matoušková'], ['Bláha', 'Bláhová'],
		['Říha', 'Říhová'], ['Ševčík', 'Ševčíková'], ['Bureš', 'Burešová'], ['Hrubý', 'Hrubá'],
		['Mašek', 'Mašková'], ['Kratochvíl', 'Kratochvílová'], ['Havlíček', 'Havlíčková'], ['Skála', 'Skálová'],
		['Janda', 'Jandová'], ['Dušek', 'Dušková'], ['Pešek', 'Pešková'], ['Šebesta', 'Šebestová'],
		['Hrdina', 'Hrdinová'], ['Toman', 'Tomanová'], ['Kubát', 'Kubátová'], ['Bartoň', 'Bartoňová'],
		['Staněk', 'Staňková'], ['Hudec', 'Hudcová'], ['Adámek', 'Adámková'], ['Jeřábek', 'Jeřábková'],
		['Kohout', 'Kohoutová'], ['Liška', 'Lišková'], ['Zelenka', 'Zelenková'], ['Hanák', 'Hanáková'],
		['Vacek', 'Vacková'], ['Kalina', 'Kalinová'], ['Slavík', 'Slavíková'], ['Zapletal', 'Zapletalová'],
		['Brabec', 'Brabcová'], ['Jirásek', 'Jirásková'], ['Pavlík', 'Pavlíková'], ['Kozel', 'Kozlová'],
		['Švec', 'Švecová'], ['Orel', 'Orlová'], ['Kroupa', 'Kroupová'], ['Janků', 'Janků'],
		['Petrů', 'Petrů'], ['Kočí', 'Kočí'], ['Krejčí', 'Krejčí'], ['Dolejší', 'Dolejší'],
		['Bílý', 'Bílá'], ['Nový', 'Nová'], ['Suchý', 'Suchá'], ['Dvořáček', 'Dvořáčková'],
		['Čech', 'Čechová'], ['Hruška', 'Hrušková'], ['Fišer', 'Fišerová'], ['Beran', 'Beranová'],
		['Vrba', 'Vrbová'], ['Lukeš', 'Lukešová'], ['Černohorský', 'Černohorská'], ['Kopřiva', 'Kopřivová'],
		['Tesař', 'Tesařová'], ['Mach', 'Machová'], ['Kovařík', 'Kovaříková'], ['Mráz', 'Mrázová'],
		['Sláma', 'Slámová'], ['Nedvěd', 'Nedvědová'], ['Benda', 'Bendová'], ['Bednář', 'Bednářová'],
		['Havel', 'Havlová'], ['Matějka', 'Matějková'], ['Vojtíšek', 'Vojtíšková'], ['Richter', 'Richterová'],
		['Gregor', 'Gregorová'], ['Hronek', 'Hronková'], ['Dvorský', 'Dvorská'], ['Vondráček', 'Vondráčková'],
		['Charvát', 'Charvátová'], ['Kašpar', 'Kašparová'], ['Hošek', 'Hošková'], ['Kubíček', 'Kubíčková'],
		['Novosad', 'Novosadová'], ['Šimůnek', 'Šimůnková'], ['Sokol', 'Sokolová'], ['Holý', 'Holá'],
		['Vrána', 'Vránová'], ['Pekárek', 'Pekárková'], ['Chalupa', 'Chalupová'], ['Paleček', 'Palečková'],
		['Cibulka', 'Cibulková'], ['Klíma', 'Klímová'], ['Zach', 'Zachová'], ['Kubeš', 'Kubešová']
	] as const
).map(([male, female]) => ({ male, female }));

/** Surnames ending in -ec that keep the e in the female form (Kadlec → Kadlecová). */
const KEEPS_E_BEFORE_C = new Set(['Kadlec', 'Švec']);

const SOFTEN: Record<string, string> = { d: 'ď', t: 'ť', n: 'ň' };

/**
 * The Czech female form of a male surname:
 * - adjectival -ý → -á (Černý → Černá);
 * - -í and -ů are indeclinable (Krejčí, Janků);
 * - -a → -ová (Svoboda → Svobodová);
 * - mobile e drops: -ek → -ková (Jelínek → Jelínková; Vaněk → Vaňková),
 *   -el → -lová (Kozel → Kozlová), -ec → -cová (Němec → Němcová) except a few
 *   (Kadlec → Kadlecová);
 * - otherwise + -ová (Novák → Nováková).
 */
export function feminineSurname(male: string): string {
	if (male.endsWith('ý')) return male.slice(0, -1) + 'á';
	if (male.endsWith('í') || male.endsWith('ů')) return male;
	if (male.endsWith('a')) return male.slice(0, -1) + 'ová';
	if (male.length > 3) {
		const stem = male.slice(0, -2);
		if (male.endsWith('ěk')) {
			const last = stem.slice(-1);
			return stem.slice(0, -1) + (SOFTEN[last] ?? last) + 'ková';
		}
		if (male.endsWith('ek')) return stem + 'ková';
		if (male.endsWith('el')) return stem + 'lová';
		if (male.endsWith('ec') && !KEEPS_E_BEFORE_C.has(male)) return stem + 'cová';
	}
	return male + 'ová';
}
