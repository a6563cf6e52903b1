/**
 * Demo candidate lists (issue 17): realistic names of lists for the Chamber (with a few
 * candidates each, for the preferential votes) and invented candidates for the President.
 * The numbers are the drawn numbers of the ballots.
 */
import type { CandidateListDefinition } from '../../../domain/results';

const people = (names: string[]) => names.map((name, i) => ({ number: i + 1, name }));

export const DEMO_CHAMBER_LISTS: CandidateListDefinition[] = [
	{ number: 1, name: 'Rolnická strana Českomoravská', candidates: people(['Ing. Josef Kratochvíl', 'Marie Dvořáková']) },
	{ number: 2, name: 'Občanská demokratická aliance', candidates: people(['Mgr. Tomáš Beneš', 'Ing. Hana Procházková', 'Jan Marek']) },
	{ number: 3, name: 'Zelená budoucnost', candidates: people(['MUDr. Lucie Veselá', 'Petr Horák']) },
	{ number: 4, name: 'Sociálně demokratická unie', candidates: people(['JUDr. Pavel Černý', 'Alena Kučerová', 'Martin Pokorný']) },
	{ number: 5, name: 'Hnutí starostů a regionů', candidates: people(['Bc. Eva Němcová', 'Ing. Karel Růžička']) },
	{ number: 6, name: 'Pirátská a liberální koalice', candidates: people(['Ondřej Svoboda', 'Mgr. Klára Fialová']) },
	{ number: 7, name: 'Strana svobodných občanů', candidates: people(['Ing. Radek Šimek']) }
];

export const DEMO_PRESIDENT_CANDIDATES: CandidateListDefinition[] = [
	{ number: 1, name: 'prof. Ing. Věra Holubová, CSc.', candidates: [] },
	{ number: 2, name: 'Mgr. Jiří Král', candidates: [] },
	{ number: 3, name: 'gen. Ing. Miroslav Tomášek', candidates: [] },
	{ number: 4, name: 'Ing. Daniela Benešová, Ph.D.', candidates: [] },
	{ number: 5, name: 'doc. MUDr. Stanislav Vávra', candidates: [] }
];
