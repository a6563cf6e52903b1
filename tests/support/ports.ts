/**
 * Ports of the end-to-end portal and its development eID. E2E_PORT moves both (the eID takes
 * the next port), so that two checkouts on one machine can run their end-to-end tests at once.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4173);
export const E2E_EID_PORT = E2E_PORT + 1;
export const PORTAL_ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
export const EID_ORIGIN = `http://127.0.0.1:${E2E_EID_PORT}`;
