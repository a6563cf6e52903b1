import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase64urlNoPadding } from '@oslojs/encoding';

/**
 * The development eID gives each relying party a pairwise subject, as the national
 * identity provider does: the same person has a different, meaningless `sub` per portal.
 * The seed uses the same function so that test identities match seeded voters.
 */
export const DEV_EID_SECTOR = 'volebni-portal';

export function devEidSubject(accountId: string, sector: string = DEV_EID_SECTOR): string {
	return encodeBase64urlNoPadding(sha256(new TextEncoder().encode(`dev-eid|${sector}|${accountId}`)));
}
