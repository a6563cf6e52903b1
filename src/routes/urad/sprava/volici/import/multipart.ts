/**
 * A streaming reader of a multipart/form-data body (RFC 7578) for the voter list upload: the
 * file goes to a sink chunk by chunk, so that a 100 MB file is never held in memory (as
 * `request.formData()` would). Small text fields are collected. One delimiter's length of
 * bytes is held back between chunks, in case a delimiter straddles them.
 */

export class MultipartError extends Error {}

export interface MultipartResult {
	/** The file of the wanted field, or null when the form had none (or an empty choice). */
	file: { fileName: string; size: number } | null;
	fields: Record<string, string>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;

export function boundaryOf(contentType: string | null): string {
	const match = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
	const boundary = match?.[1] ?? match?.[2];
	if (!boundary) throw new MultipartError('not multipart/form-data');
	return boundary;
}

/** The name and file name of a part, from its Content-Disposition header. */
function disposition(headers: string): { name: string; fileName: string | null } {
	const line = headers.split('\r\n').find((h) => /^content-disposition\s*:/i.test(h));
	if (!line) throw new MultipartError('part without Content-Disposition');
	const param = (key: string) => {
		const m = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(line) ?? new RegExp(`;\\s*${key}=([^;\\s]*)`, 'i').exec(line);
		// Browsers escape a quote in a file name as %22 (WHATWG) or \" (older ones).
		return m ? m[1]!.replace(/\\(.)/g, '$1').replace(/%22/g, '"') : null;
	};
	const name = param('name');
	if (name === null) throw new MultipartError('part without a name');
	return { name, fileName: param('filename') };
}

/**
 * Reads the body; the first part named `fileField` that carries a file name goes to `sink`.
 * Throws MultipartError for a body that is not well-formed multipart.
 */
export async function readMultipart(
	body: ReadableStream<Uint8Array> | null,
	contentType: string | null,
	fileField: string,
	sink: (chunk: Uint8Array) => Promise<void>
): Promise<MultipartResult> {
	const delimiter = Buffer.from(`\r\n--${boundaryOf(contentType)}`);
	if (!body) throw new MultipartError('no body');
	const result: MultipartResult = { file: null, fields: {} };
	type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
	let state = 'preamble' as State;
	// The body's first delimiter has no CRLF before it: pretend it had one.
	let buffer: Buffer = Buffer.from(CRLF);
	let part: { name: string; fileName: string | null; toFile: boolean; text: Buffer[]; textBytes: number } | null = null;
	let fileTaken = false;

	const emit = async (bytes: Buffer) => {
		if (!part || bytes.length === 0) return;
		if (part.toFile) {
			result.file!.size += bytes.length;
			await sink(bytes);
		} else if (part.fileName === null && part.textBytes < MAX_FIELD_BYTES) {
			part.text.push(bytes);
			part.textBytes += bytes.length;
		}
	};
	const endPart = () => {
		if (part && !part.toFile && part.fileName === null) {
			result.fields[part.name] = Buffer.concat(part.text).subarray(0, MAX_FIELD_BYTES).toString('utf8');
		}
		part = null;
	};

	const step = async (): Promise<boolean> => {
		switch (state) {
			case 'preamble': {
				const at = buffer.indexOf(delimiter);
				if (at < 0) {
					buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length + 1));
					return false;
				}
				buffer = buffer.subarray(at + delimiter.length);
				state = 'after-delimiter';
				return true;
			}
			case 'after-delimiter': {
				if (buffer.length < 2) return false;
				if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
					state = 'done';
					return false;
				}
				if (buffer[0] !== 0x0d || buffer[1] !== 0x0a) throw new MultipartError('bad delimiter line');
				buffer = buffer.subarray(2);
				state = 'headers';
				return true;
			}
			case 'headers': {
				const at = buffer.indexOf(HEADER_END);
				if (at < 0) {
					if (buffer.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long');
					return false;
				}
				const { name, fileName } = disposition(buffer.subarray(0, at).toString('utf8'));
				const toFile = name === fileField && !!fileName && !fileTaken;
				if (toFile) {
					fileTaken = true;
					result.file = { fileName: fileName!, size: 0 };
				}
				part = { name, fileName, toFile, text: [], textBytes: 0 };
				buffer = buffer.subarray(at + HEADER_END.length);
				state = 'body';
				return true;
			}
			case 'body': {
				const at = buffer.indexOf(delimiter);
				if (at >= 0) {
					await emit(buffer.subarray(0, at));
					endPart();
					buffer = buffer.subarray(at + delimiter.length);
					state = 'after-delimiter';
					return true;
				}
				const keep = delimiter.length - 1;
				if (buffer.length > keep) {
					await emit(buffer.subarray(0, buffer.length - keep));
					buffer = buffer.subarray(buffer.length - keep);
				}
				return false;
			}
			case 'done':
				return false;
		}
	};

	const reader = body.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			if (state === 'done') continue;
			buffer = buffer.length ? Buffer.concat([buffer, value]) : Buffer.from(value);
			while (await step()) {
				/* until the buffer needs more bytes */
			}
		}
	} finally {
		reader.releaseLock();
	}
	if (state !== 'done') throw new MultipartError('body ended before the closing delimiter');
	// An empty choice of file: browsers send the part with filename="" and no bytes.
	if (result.file && result.file.fileName === '' && result.file.size === 0) result.file = null;
	return result;
}
