/** The staff form's fields in page order, for the error summary (client-safe). */
export const STAFF_FIELDS = ['username', 'displayName', 'email', 'role', 'officeId'] as const;
