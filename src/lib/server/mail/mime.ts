/**
 * A minimal reader of RFC 5322 / MIME messages, enough for what nodemailer writes and the
 * development mail catcher shows: unfolded headers, RFC 2047 encoded words, base64 and
 * quoted-printable bodies, and the text part of a multipart message.
 */

export interface ParsedMessage {
	headers: Map<string, string>;
	from: string;
	to: string;
	subject: string;
	date: string | null;
	/** The plain-text body, or the HTML body stripped of tags when there is no text part. */
	text: string;
	/** The HTML part as sent, if there is one. */
	html: string | null;
	/** The content types of the leaf parts, in order (e.g. text/plain, text/html). */
	partTypes: string[];
}

interface Part {
	headers: Map<string, string>;
	body: Buffer;
}

const HEADER_BODY_SEPARATOR = /\r?\n\r?\n/;

function splitHeaderBody(raw: Buffer): { head: string; body: Buffer } {
	const latin = raw.toString('latin1');
	const match = HEADER_BODY_SEPARATOR.exec(latin);
	if (!match) return { head: latin, body: Buffer.alloc(0) };
	return { head: latin.slice(0, match.index), body: raw.subarray(match.index + match[0].length) };
}

/** Header names lower-cased; folded lines joined (RFC 5322 §2.2.3). Raw bytes kept as latin1. */
function parseHeaders(head: string): Map<string, string> {
	const headers = new Map<string, string>();
	const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
	for (const line of unfolded.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
	}
	return headers;
}

function decodeBytes(bytes: Buffer, charset: string | undefined): string {
	const label = (charset ?? 'utf-8').trim().toLowerCase();
	try {
		return new TextDecoder(label).decode(bytes);
	} catch {
		return new TextDecoder('utf-8').decode(bytes);
	}
}

function decodeQuotedPrintable(input: string, headerMode = false): Buffer {
	const text = (headerMode ? input.replace(/_/g, ' ') : input).replace(/=\r?\n/g, '');
	const bytes: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
			bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(text.charCodeAt(i) & 0xff);
		}
	}
	return Buffer.from(bytes);
}

/** RFC 2047: `=?UTF-8?Q?P=C5=99ijato?=` and `=?UTF-8?B?...?=`; whitespace between words is dropped. */
export function decodeEncodedWords(value: string): string {
	const latin = Buffer.from(value, 'latin1');
	// The header was read as latin1; if it carried raw UTF-8 (RFC 6532), read it as such.
	const base = /[\x80-\xff]/.test(value) ? latin.toString('utf8') : value;
	return base
		.replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g, '$1')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => {
			const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text, true);
			return decodeBytes(bytes, charset.split('*')[0]);
		});
}

/** `text/plain; charset=utf-8; boundary="x"` → type and lower-cased parameter names. */
function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
	const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';');
	const params = new Map<string, string>();
	for (const param of rest) {
		const eq = param.indexOf('=');
		if (eq < 0) continue;
		params.set(param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
	}
	return { type: type.trim().toLowerCase(), params };
}

function decodeBody(part: Part): string {
	const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
	const charset = parseContentType(part.headers.get('content-type')).params.get('charset');
	let bytes: Buffer;
	if (encoding === 'base64') bytes = Buffer.from(part.body.toString('latin1').replace(/\s+/g, ''), 'base64');
	else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body.toString('latin1'));
	else bytes = part.body;
	return decodeBytes(bytes, charset);
}

function splitMultipart(body: Buffer, boundary: string): Part[] {
	const text = body.toString('latin1');
	const delimiter = `--${boundary}`;
	const parts: Part[] = [];
	const chunks = text.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
	// chunks[0] is the preamble; the last is the epilogue after the closing delimiter
	for (const chunk of chunks.slice(1)) {
		if (!chunk.trim()) continue;
		const { head, body: partBody } = splitHeaderBody(Buffer.from(chunk, 'latin1'));
		parts.push({ headers: parseHeaders(head), body: partBody });
	}
	return parts;
}

/** The leaf parts, depth first, with their content type. */
function leafParts(part: Part, depth = 0): { type: string; part: Part }[] {
	const { type, params } = parseContentType(part.headers.get('content-type'));
	if (type.startsWith('multipart/') && depth < 5) {
		const boundary = params.get('boundary');
		if (!boundary) return [];
		return splitMultipart(part.body, boundary).flatMap((p) => leafParts(p, depth + 1));
	}
	return [{ type, part }];
}

function htmlToText(html: string): string {
	return html
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
		.replace(/<br\s*\/?>|<\/p>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.trim();
}

export function parseMessage(raw: Buffer | string): ParsedMessage {
	const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
	const { head, body } = splitHeaderBody(bytes);
	const headers = parseHeaders(head);
	const leaves = leafParts({ headers, body });
	const plain = leaves.find((l) => l.type === 'text/plain');
	const htmlPart = leaves.find((l) => l.type === 'text/html');
	const html = htmlPart ? decodeBody(htmlPart.part) : null;
	const header = (name: string) => decodeEncodedWords(headers.get(name) ?? '');
	return {
		headers,
		from: header('from'),
		to: header('to'),
		subject: header('subject'),
		date: headers.get('date') ?? null,
		text: plain ? decodeBody(plain.part).replace(/\r\n/g, '\n') : html !== null ? htmlToText(html) : '',
		html,
		partTypes: leaves.map((l) => l.type)
	};
}
