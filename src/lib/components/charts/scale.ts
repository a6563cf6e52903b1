/**
 * Arithmetic of the server-rendered SVG charts: axis ticks and positions. Pure, so that the
 * components only draw.
 */

/** A round top for a count axis and its tick step: 1, 2 or 5 times a power of ten, at most `maxTicks` steps. */
export function niceAxis(max: number, maxTicks = 5): { top: number; step: number; ticks: number[] } {
	const ceiling = Math.max(1, Math.ceil(max));
	let step = 1;
	for (let magnitude = 1; ; magnitude *= 10) {
		const found = [1, 2, 5].map((m) => m * magnitude).find((s) => Math.ceil(ceiling / s) <= maxTicks);
		if (found) {
			step = found;
			break;
		}
	}
	const top = Math.ceil(ceiling / step) * step;
	const ticks: number[] = [];
	for (let t = 0; t <= top; t += step) ticks.push(t);
	return { top, step, ticks };
}

/** Indexes of the category labels to print so that at most `max` appear, evenly spaced, the first always. */
export function labelIndexes(count: number, max: number): number[] {
	if (count <= 0) return [];
	const every = Math.max(1, Math.ceil(count / Math.max(1, max)));
	const out: number[] = [];
	for (let i = 0; i < count; i += every) out.push(i);
	return out;
}

/** The SVG `points` of a polyline through values at evenly spaced x positions. */
export function polylinePoints(values: readonly number[], x: (i: number) => number, y: (v: number) => number): string {
	return values.map((v, i) => `${round(x(i))},${round(y(v))}`).join(' ');
}

export function round(n: number): number {
	return Math.round(n * 10) / 10;
}

/** Whole per cent of a part of a total; null when the total is 0. */
export function percentOf(part: number, total: number): number | null {
	return total > 0 ? Math.round((part / total) * 100) : null;
}

/** Colours of the series (contrast at least 3:1 on white, WCAG 1.4.11), each also with its own dash pattern and point shape. */
export const SERIES_COLOURS = ['#2362a2', '#a34f00', '#146a2b', '#6f3c96', '#505050'] as const;
export const SERIES_DASHES = ['', '8 4', '2 3', '12 3 2 3', '4 2'] as const;
