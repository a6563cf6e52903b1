import { text } from '../../admin-server';

/** The registration form's fields as typed (cut at their limits), for registering and for editing. */
export function mediaFormValues(form: FormData) {
	return {
		name: text(form, 'name', 200),
		email: text(form, 'email', 254),
		phone: text(form, 'phone', 40),
		production: text(form, 'production', 2000),
		test: text(form, 'test', 2000)
	};
}
