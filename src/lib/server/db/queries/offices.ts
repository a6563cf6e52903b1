import type { DbOrTrx } from '../index';

export interface OfficeRow {
	id: string;
	kind: 'municipal' | 'embassy';
	name_cs: string;
	name_en: string;
	address: string;
	special_district_number: number | null;
	/** ISO 3166-1 alpha-2 codes of an embassy's area; empty for a municipal office. */
	countries: string[];
}

const officeColumns = ['id', 'kind', 'name_cs', 'name_en', 'address', 'special_district_number', 'countries'] as const;

export async function findOfficeById(db: DbOrTrx, id: string): Promise<OfficeRow | undefined> {
	return db.selectFrom('office').select(officeColumns).where('id', '=', id).executeTakeFirst();
}

/** Every embassy with the countries of its area (§57(6)), by special district number. */
export async function listEmbassies(db: DbOrTrx): Promise<OfficeRow[]> {
	return db
		.selectFrom('office')
		.select(officeColumns)
		.where('kind', '=', 'embassy')
		.orderBy('special_district_number')
		.orderBy('id')
		.execute();
}

/** The municipal office of a municipality named as the eID gave it (case-insensitive), for its contact. */
export async function findMunicipalOfficeByMunicipalityName(db: DbOrTrx, name: string): Promise<OfficeRow | undefined> {
	return db
		.selectFrom('office')
		.select(officeColumns)
		.where('kind', '=', 'municipal')
		.where((eb) => eb(eb.fn('lower', ['municipality_name']), '=', name.trim().toLowerCase()))
		.orderBy('code')
		.executeTakeFirst();
}
