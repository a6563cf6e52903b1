import { invalidateAll } from '$app/navigation';

/**
 * With JavaScript, the page of a background job (a batch's document, a voter-list import)
 * follows its status endpoint: once a second while the job runs, `update` gets each status
 * read; when the job has ended the page's data is loaded again and `update` gets null (the
 * page then shows what its load function says). A failed read is tried again; without
 * JavaScript JobRunning.svelte refreshes the page instead. For `onMount`: returns the stop.
 */
export function followJobStatus<S>(statusUrl: string, running: (status: S) => boolean, update: (status: S | null) => void): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout>;
	const poll = async () => {
		if (stopped) return;
		try {
			const response = await fetch(statusUrl, { headers: { accept: 'application/json' } });
			if (response.ok) {
				const status = (await response.json()) as S;
				update(status);
				if (!running(status)) {
					await invalidateAll();
					update(null);
					return;
				}
			}
		} catch {
			// A failed poll is retried; the page's link still works.
		}
		timer = setTimeout(poll, 1000);
	};
	timer = setTimeout(poll, 500);
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
