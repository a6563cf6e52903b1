import { adminContext } from './volby/admin-server';
import type { PageServerLoad } from './$types';

/** The administrator's home: the parts of the administration (issue 7). */
export const load: PageServerLoad = ({ locals }) => {
	const { staff } = adminContext(locals);
	return { name: staff.displayName };
};
