/**
 * npm run bench:body — what oversized bodies cost the production build (issue 19), and the
 * production build's answers to what exists only outside production.
 *
 * Starts the portal (scripts/serve.mjs) as `npm start` would in production (APP_ENV=production, BODY_SIZE_LIMIT=200M
 * as scripts/start.sh sets it) on a throwaway database (DATABASE_URL's server, else an embedded one),
 * then:
 *
 * 1. checks that /dev/** and /api/test/** answer 404, and that malformed URLs answer 400 and leave
 *    the same process healthy;
 * 2. sends 6 oversized posts at once (150 MB each unless --mb says otherwise) to a public route,
 *    three ways: declared by Content-Length to the staff login, sent without a length (chunked) to
 *    the staff login, and declared to the voter-list import without a session; each is sent until
 *    the answer comes (then the connection is closed), and the server's resident memory is sampled
 *    every 20 ms from /proc.
 *
 * Prints the figures and writes them to .data/bench/body-limit.json. Exits non-zero when a check
 * fails (a status other than the one expected); the memory figure is printed, not asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { freePort, startTestServer } from '../tests/setup/test-database';
import { repoRoot, run, UsageError } from './cli';

const args = process.argv.slice(2);
function option(name: string): string | undefined {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? args[i + 1] : undefined;
}
const MB = Number(option('mb') ?? 150);
const CONCURRENT = Number(option('concurrent') ?? 6);

const checks: { name: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail: string) {
	checks.push({ name, ok, detail });
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
}

/** Resident memory of a process in MiB (VmRSS of /proc/<pid>/status). */
function rssMiB(pid: number): number {
	const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
	return Math.round((kb / 1024) * 10) / 10;
}

async function get(origin: string, rawPath: string, method = 'GET', headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const url = new URL(origin);
		const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method, headers: { accept: 'text/html', ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(method === 'POST' ? '{}' : undefined);
	});
}

interface Sent {
	status: number;
	/** Bytes of the body written before the answer came. */
	sentMiB: number;
	ms: number;
}

/** One oversized post, written in 1 MiB chunks until the answer comes; then the connection is closed. */
function oversized(origin: string, rawPath: string, declared: boolean): Promise<Sent> {
	return new Promise((resolve) => {
		const url = new URL(origin);
		const total = MB * 1024 * 1024;
		const chunk = Buffer.alloc(1024 * 1024, 'a');
		const headers: Record<string, string> = { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
		if (declared) headers['content-length'] = String(total);
		const started = performance.now();
		let written = 0;
		let answered = false;
		const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method: 'POST', headers, agent: false });
		const finish = (status: number) => {
			if (answered) return;
			answered = true;
			resolve({ status, sentMiB: Math.round(written / 1024 / 1024), ms: Math.round(performance.now() - started) });
			req.destroy();
		};
		req.on('response', (res) => {
			res.resume();
			finish(res.statusCode ?? 0);
		});
		req.on('error', () => finish(0));
		const pump = () => {
			while (!answered && written < total) {
				written += chunk.length;
				if (!req.write(chunk)) return void req.once('drain', pump);
			}
			if (!answered && written >= total) req.end();
		};
		pump();
	});
}

run(async () => {
	if (!Number.isInteger(MB) || MB < 1 || MB > 2000 || !Number.isInteger(CONCURRENT) || CONCURRENT < 1 || CONCURRENT > 50) {
		throw new UsageError('usage: npm run bench:body -- [--mb 150] [--concurrent 6]');
	}
	const server = await startTestServer();
	let portal: ChildProcess | undefined;
	try {
		const databaseUrl = await server.createDatabase('vp_bench_body');
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const env: Record<string, string> = {
			...(process.env as Record<string, string>),
			NODE_ENV: 'production',
			APP_ENV: 'production',
			DATABASE_URL: databaseUrl,
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: origin,
			PUBLIC_ORIGIN: origin,
			// As scripts/start.sh.
			BODY_SIZE_LIMIT: '200M',
			// Production needs the national eID; no login happens here.
			EID_ISSUER: 'https://eid.bench.invalid',
			EID_CLIENT_ID: 'bench',
			EID_CLIENT_SECRET: 'bench',
			// Production needs the key of the staff authenticator keys (issue 16); none is stored here.
			TOTP_ENCRYPTION_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
			LOG_LEVEL: 'warn'
		};
		delete env.FIXED_NOW;
		portal = spawn(process.execPath, [path.join(repoRoot, 'scripts/serve.mjs')], { cwd: repoRoot, env, stdio: ['ignore', 'inherit', 'inherit'] });
		const pid = portal.pid!;
		for (let i = 0; ; i++) {
			if ((await get(origin, '/health').catch(() => 0)) === 200) break;
			if (i > 600 || portal.exitCode !== null) throw new Error('the production build did not start (npm run build first?)');
			await new Promise((r) => setTimeout(r, 100));
		}
		console.log(`production build on ${origin} (pid ${pid}), BODY_SIZE_LIMIT=200M, ${CONCURRENT} × ${MB} MB per round`);

		// 1. What exists only outside production, and URLs that once ended the process.
		for (const [method, p] of [
			['GET', '/dev/posta'],
			['GET', '/dev/posta/00000000-0000-4000-8000-000000000000'],
			['GET', '/api/test/clock'],
			['POST', '/api/test/session'],
			['POST', '/api/test/access-fixture'],
			['POST', '/api/test/envelopes']
		] as const) {
			const status = await get(origin, p, method, method === 'POST' ? { 'content-type': 'application/json', origin } : {});
			check(`production: ${method} ${p}`, status === 404, String(status));
		}
		for (const p of ['/muj-zaznam/%FF', '/zadosti/%E0%A4%A', '/urad/sprava/%FF', '/prihlaseni?zpet=%C0%AF']) {
			const status = await get(origin, p);
			check(`production: GET ${p}`, status === 400, String(status));
		}
		check('production: the same process answers /health', portal.exitCode === null && (await get(origin, '/health')) === 200, `pid ${pid}`);

		// 2. Oversized bodies, six at once, three ways.
		for (let i = 0; i < 20; i++) await get(origin, '/urad/prihlaseni');
		const baseline = rssMiB(pid);
		const rounds: { name: string; path: string; declared: boolean }[] = [
			{ name: 'declared (Content-Length) to /urad/prihlaseni', path: '/urad/prihlaseni', declared: true },
			{ name: 'without a length (chunked) to /urad/prihlaseni', path: '/urad/prihlaseni', declared: false },
			{ name: 'declared to /urad/sprava/volici/import, no session', path: '/urad/sprava/volici/import', declared: true }
		];
		const figures: Record<string, unknown>[] = [];
		for (const round of rounds) {
			const before = rssMiB(pid);
			let peak = before;
			const sampler = setInterval(() => {
				try {
					peak = Math.max(peak, rssMiB(pid));
				} catch {
					/* the process is gone: the check below says so */
				}
			}, 20);
			const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => oversized(origin, round.path, round.declared)));
			await new Promise((r) => setTimeout(r, 500));
			clearInterval(sampler);
			const after = rssMiB(pid);
			const statuses = answers.map((a) => a.status);
			check(`${CONCURRENT} × ${MB} MB ${round.name}: 413`, statuses.every((s) => s === 413), statuses.join(' '));
			const sent = answers.map((a) => a.sentMiB);
			const ms = answers.map((a) => a.ms);
			console.log(
				`     resident memory ${before} MiB before, peak ${peak} MiB (+${Math.round((peak - before) * 10) / 10}), ${after} MiB after; ` +
					`sent before the answer: ${Math.min(...sent)}–${Math.max(...sent)} MiB of ${MB}; answered in ${Math.min(...ms)}–${Math.max(...ms)} ms`
			);
			figures.push({ round: round.name, statuses, beforeMiB: before, peakMiB: peak, afterMiB: after, sentBeforeAnswerMiB: sent, answerMs: ms });
		}
		check('the same process answers /health after the oversized bodies', portal.exitCode === null && (await get(origin, '/health')) === 200, `pid ${pid}`);

		const out = path.join(repoRoot, '.data/bench');
		await mkdir(out, { recursive: true });
		const file = path.join(out, 'body-limit.json');
		const result = { at: new Date().toISOString(), node: process.version, mbPerBody: MB, concurrent: CONCURRENT, baselineMiB: baseline, rounds: figures, checks };
		await writeFile(file, `${JSON.stringify(result, null, '\t')}\n`);
		console.log(`figures written to ${path.relative(repoRoot, file)}`);
		const failed = checks.filter((c) => !c.ok);
		console.log(`${checks.length - failed.length} of ${checks.length} checks passed`);
		if (failed.length) process.exitCode = 1;
	} finally {
		if (portal && portal.exitCode === null) {
			portal.kill('SIGTERM');
			await new Promise((r) => portal!.once('exit', r));
		}
		await server.stop();
	}
});
