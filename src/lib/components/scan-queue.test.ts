import { describe, expect, it } from 'vitest';
import { ScanSender, enqueue, webStorageQueue, type QueuedScan, type SendResult } from './scan-queue';

const scan = (id: string, code = id): QueuedScan => ({ id, payload: { code }, scannedAt: 1_000, attempts: 0 });

function memoryStorage() {
	const data = new Map<string, string>();
	return {
		getItem: (k: string) => data.get(k) ?? null,
		setItem: (k: string, v: string) => void data.set(k, v),
		removeItem: (k: string) => void data.delete(k),
		data
	};
}

/** A sender over a fake network: `online` decides whether a send is answered; timers run by hand. */
function harness(storage = memoryStorage()) {
	const sent: string[] = [];
	const answered: string[] = [];
	const timers: (() => void)[] = [];
	let online = true;
	const sender = new ScanSender<Record<string, unknown>, string>({
		store: webStorageQueue('q', storage),
		send: async (s): Promise<SendResult<string>> => {
			sent.push(s.id);
			return online ? { kind: 'answered', value: `ok:${s.id}` } : { kind: 'retry', reason: 'offline' };
		},
		onAnswer: (s) => answered.push(s.id),
		onFailed: () => {},
		onChange: () => {},
		setTimer: (fn) => timers.push(fn),
		clearTimer: () => {}
	});
	return {
		sender,
		sent,
		answered,
		storage,
		setOnline: (v: boolean) => (online = v),
		runTimers: async () => {
			for (const t of timers.splice(0)) t();
			await sender.flush();
		}
	};
}

describe('the scan queue', () => {
	it('keeps one entry per scan id', () => {
		const q = enqueue(enqueue([scan('a')], scan('b')), scan('a', 'changed'));
		expect(q.map((s) => s.id)).toEqual(['a', 'b']);
		expect(q[0]!.payload).toEqual({ code: 'a' });
	});

	it('sends in the order of scanning and empties itself', async () => {
		const h = harness();
		h.setOnline(false);
		for (const id of ['1', '2', '3']) h.sender.add(scan(id));
		await h.sender.flush();
		expect(h.answered).toEqual([]);
		expect(h.sender.waiting.map((s) => s.id)).toEqual(['1', '2', '3']);
		h.setOnline(true);
		h.sender.wake();
		await h.sender.flush();
		expect(h.answered).toEqual(['1', '2', '3']);
		expect(h.sender.waiting).toEqual([]);
		expect(h.storage.data.size).toBe(0);
	});

	it('retries a failed send with the same id, counting the attempts, and only the head of the queue', async () => {
		const h = harness();
		h.setOnline(false);
		h.sender.add(scan('x'));
		h.sender.add(scan('y'));
		await h.sender.flush();
		await h.runTimers();
		expect(h.sender.waiting[0]!.attempts).toBeGreaterThanOrEqual(2);
		// Nothing after the head is tried while the head waits: the order is kept.
		expect(new Set(h.sent)).toEqual(new Set(['x']));
		h.setOnline(true);
		await h.runTimers();
		expect(h.answered).toEqual(['x', 'y']);
		expect(h.sent.filter((id) => id === 'x').length).toBeGreaterThanOrEqual(3);
	});

	it('survives a reload: a new sender over the same storage finds the waiting scans', async () => {
		const storage = memoryStorage();
		const first = harness(storage);
		first.setOnline(false);
		first.sender.add(scan('p'));
		first.sender.add(scan('q'));
		await first.sender.flush();

		const second = harness(storage);
		expect(second.sender.waiting.map((s) => s.id)).toEqual(['p', 'q']);
		await second.sender.flush();
		expect(second.answered).toEqual(['p', 'q']);
	});

	it('drops a scan the server refuses for good, and goes on with the next', async () => {
		const failed: string[] = [];
		const answered: string[] = [];
		const sender = new ScanSender<Record<string, unknown>, string>({
			store: webStorageQueue('q', null),
			send: async (s) => (s.id === 'bad' ? { kind: 'failed', reason: '400' } : { kind: 'answered', value: s.id }),
			onAnswer: (s) => answered.push(s.id),
			onFailed: (s) => failed.push(s.id),
			onChange: () => {}
		});
		sender.add(scan('bad'));
		sender.add(scan('good'));
		await sender.flush();
		expect(failed).toEqual(['bad']);
		expect(answered).toEqual(['good']);
	});

	it('reads nothing but queued scans from a damaged storage', () => {
		const storage = memoryStorage();
		storage.setItem('q', JSON.stringify([{ id: 'a' }, scan('b'), 'x']));
		expect(webStorageQueue('q', storage).load().map((s) => s.id)).toEqual(['b']);
		storage.setItem('q', '{not json');
		expect(webStorageQueue('q', storage).load()).toEqual([]);
	});
});
