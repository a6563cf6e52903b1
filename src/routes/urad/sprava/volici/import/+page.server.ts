import { open, rm } from 'node:fs/promises';
import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { clock } from '$lib/server/clock';
import { db } from '$lib/server/db/runtime';
import { staffActorFrom } from '$lib/server/services/staff-actor';
import { createVoterImport, newUploadPath, startVoterImport, VOTER_LIST_ROLES } from '$lib/server/services/voter-import';
import { MultipartError, readMultipart } from './multipart';
import type { Actions, PageServerLoad } from './$types';

export type UploadErrorCode = 'required' | 'empty' | 'not-csv' | 'unreadable';

/** The upload of a voter list file: one question, the file (GOV.UK). */
export const load: PageServerLoad = ({ locals }) => {
	requireStaff(locals, VOTER_LIST_ROLES);
	return {};
};

/** What the portal reads: a CSV file (a spreadsheet saved as "CSV UTF-8"), not the spreadsheet itself. */
const CSV_NAME = /\.(csv|txt)$/i;

export const actions: Actions = {
	/**
	 * Streams the upload to DATA_DIR/imports (never the whole file in memory), records the
	 * import and starts it in the background; the import's page shows its progress.
	 */
	default: async ({ locals, request }) => {
		const actor = staffActorFrom(requireStaff(locals, VOTER_LIST_ROLES));
		const filePath = await newUploadPath();
		const handle = await open(filePath, 'wx', 0o600);
		const refuse = async (code: UploadErrorCode) => {
			await rm(filePath, { force: true });
			return fail(400, { errors: { soubor: code } });
		};
		let upload;
		try {
			upload = await readMultipart(request.body, request.headers.get('content-type'), 'soubor', async (chunk) => {
				await handle.write(chunk);
			});
		} catch (cause) {
			await handle.close();
			if (cause instanceof MultipartError) return refuse('unreadable');
			await rm(filePath, { force: true });
			throw cause;
		}
		await handle.close();
		if (!upload.file) return refuse('required');
		if (!CSV_NAME.test(upload.file.fileName)) return refuse('not-csv');
		if (upload.file.size === 0) return refuse('empty');

		const now = clock().now();
		const created = await createVoterImport(db(), { fileName: upload.file.fileName, filePath, fileSize: upload.file.size, ownsFile: true }, actor, now);
		if (created.kind === 'forbidden') {
			await rm(filePath, { force: true });
			error(403, 'Forbidden');
		}
		void startVoterImport(db(), created.id, actor, () => clock().now());
		redirect(303, `/urad/sprava/volici/import/${created.id}`);
	}
};
