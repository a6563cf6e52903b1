import net from 'node:net';

/** True when nothing listens on host:port (checked by binding it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.unref();
		probe.once('error', () => resolve(false));
		probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
	});
}

/**
 * The first port from `start` on (at most `tries` of them, never past 65535) that `isFree`
 * accepts and `avoid` does not name; undefined when there is none.
 */
export async function nextFreePort(
	start: number,
	isFree: (port: number) => boolean | Promise<boolean>,
	{ tries = 100, avoid = [] }: { tries?: number; avoid?: readonly number[] } = {}
): Promise<number | undefined> {
	for (let port = start; port < start + tries && port <= 65535; port++) {
		if (avoid.includes(port)) continue;
		if (await isFree(port)) return port;
	}
	return undefined;
}
