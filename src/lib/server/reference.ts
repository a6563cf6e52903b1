import type { RequestKind } from './db/schema';

/**
 * Request references: a kind prefix and 8 characters of Crockford base32 drawn from the
 * platform's cryptographic random source (40 bits), e.g. `VP-7K3M9QXD`. They are short
 * enough to read out over the phone and cannot be guessed; uniqueness is enforced by the
 * database, and the inserting code draws again on the rare collision.
 */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const REFERENCE_PREFIX: Readonly<Record<RequestKind, string>> = {
	// voličský průkaz
	'voter-card': 'VP',
	// zvláštní (volební) okrsek
	'special-district-registration': 'ZO',
	// korespondenční hlasování
	'correspondence-package': 'KH',
	// oprava seznamu voličů (§23(5))
	'voter-list-correction': 'OS'
};

const BODY_LENGTH = 8;

/** 8 Crockford base32 characters from 5 random bytes (8 × 5 bits). */
export function randomReferenceBody(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
	const bytes = random(new Uint8Array(5));
	let bits = 0n;
	for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
	let out = '';
	for (let i = BODY_LENGTH - 1; i >= 0; i--) out += CROCKFORD_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
	return out;
}

export function newReference(kind: RequestKind): string {
	return `${REFERENCE_PREFIX[kind]}-${randomReferenceBody()}`;
}

const PREFIXES = new Set(Object.values(REFERENCE_PREFIX));

/**
 * A reference as typed or pasted by a person, in canonical form, or null if it cannot be
 * one. Case, spaces and the hyphen are forgiven, and the body's look-alikes are read the
 * Crockford way (O → 0, I and L → 1).
 */
export function normalizeReference(input: string): string | null {
	const compact = input.toUpperCase().replace(/[\s-]/g, '');
	if (compact.length !== 2 + BODY_LENGTH) return null;
	const prefix = compact.slice(0, 2);
	if (!PREFIXES.has(prefix)) return null;
	const body = compact.slice(2).replace(/O/g, '0').replace(/[IL]/g, '1');
	for (const ch of body) if (!CROCKFORD_ALPHABET.includes(ch)) return null;
	return `${prefix}-${body}`;
}
