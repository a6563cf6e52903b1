/**
 * npm run totp -- <key> [--at <ISO 8601 instant>]
 *
 * A demo helper: prints the authenticator code of a staff member's key (the base32 key the
 * enrolment page shows under the QR code; spaces allowed) for now, or for `--at`, and the
 * seconds it stays valid. Instead of a phone app when trying the demo. The portal checks codes
 * against real time, except under APP_ENV=test, where it uses the request's clock (then pass
 * that instant with --at).
 */
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { Temporal } from 'temporal-polyfill';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS, totpStep } from '../src/lib/server/auth/totp';
import { run, UsageError } from './cli';

async function main() {
	const args = process.argv.slice(2).filter((a) => a !== '--');
	const atIndex = args.indexOf('--at');
	let at = Temporal.Now.instant();
	if (atIndex >= 0) {
		try {
			at = Temporal.Instant.from(args[atIndex + 1] ?? '');
		} catch {
			throw new UsageError('--at takes an ISO 8601 instant with an offset, e.g. 2026-11-20T09:00:00+01:00');
		}
		args.splice(atIndex, 2);
	}
	const secret = args.join('').replace(/\s/g, '').toUpperCase();
	if (!/^[A-Z2-7]{16,}=*$/.test(secret)) throw new UsageError('usage: npm run totp -- <base32 key from the enrolment page> [--at <ISO instant>]');
	const key = decodeBase32IgnorePadding(secret);
	const step = totpStep(at);
	const code = generateHOTP(key, BigInt(step), TOTP_DIGITS);
	const left = TOTP_PERIOD_SECONDS - (Math.floor(at.epochMilliseconds / 1000) % TOTP_PERIOD_SECONDS);
	console.log(`${code.slice(0, 3)} ${code.slice(3)}  (valid ${left} s more; the next: ${generateHOTP(key, BigInt(step + 1), TOTP_DIGITS)})`);
}

run(main);
