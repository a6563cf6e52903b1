import { describe, expect, it } from 'vitest';
import { argon2Params } from './staff';

// The throttle of failed logins: login-throttle.test.ts.
describe('argon2 parameters', () => {
	it('are read from a PHC string, so that a hash made with other ones is renewed at login', () => {
		expect(argon2Params('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA')).toBe('argon2id$v=19$m=19456,t=2,p=1');
		expect(argon2Params('$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaA')).not.toBe('argon2id$v=19$m=19456,t=2,p=1');
		expect(argon2Params('plain')).toBeNull();
	});
});
