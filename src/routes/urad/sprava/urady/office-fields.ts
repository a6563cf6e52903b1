/** The office forms' fields in page order, for the error summary (client-safe). */
export const MUNICIPAL_FIELDS = ['nameCs', 'address', 'municipalityCode', 'municipalityName', 'regionCode', 'senateConstituency'] as const;
export const EMBASSY_FIELDS = ['nameCs', 'nameEn', 'address', 'specialDistrictNumber', 'countries', 'timeZone'] as const;
