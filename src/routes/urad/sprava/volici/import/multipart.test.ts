import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartError, readMultipart } from './multipart';

/** A browser-like multipart body of a FormData, cut into chunks of `size` bytes. */
async function body(form: FormData, size: number): Promise<{ stream: ReadableStream<Uint8Array>; contentType: string }> {
	const response = new Response(form);
	const bytes = new Uint8Array(await response.arrayBuffer());
	const contentType = response.headers.get('content-type')!;
	let at = 0;
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (at >= bytes.length) return controller.close();
			controller.enqueue(bytes.slice(at, at + size));
			at += size;
		}
	});
	return { stream, contentType };
}

async function read(form: FormData, size: number) {
	const { stream, contentType } = await body(form, size);
	const chunks: Uint8Array[] = [];
	const result = await readMultipart(stream, contentType, 'soubor', async (c) => {
		chunks.push(Buffer.from(c));
	});
	return { ...result, content: Buffer.concat(chunks).toString('utf8') };
}

describe('readMultipart', () => {
	const csv = 'given_name,family_name\r\nJana,"Nováková, roz. Malá"\r\n' + 'x'.repeat(5000) + '\r\n--not-a-delimiter\r\n';

	it('streams the file and collects the other fields, whatever the chunk size', async () => {
		for (const size of [1, 3, 7, 64, 1000, 100_000]) {
			const form = new FormData();
			form.append('poznamka', 'ahoj ž');
			form.append('soubor', new File([csv], 'seznam voličů.csv', { type: 'text/csv' }));
			form.append('po', 'konec');
			const result = await read(form, size);
			expect(result.file, `chunks of ${size}`).toEqual({ fileName: 'seznam voličů.csv', size: Buffer.byteLength(csv) });
			expect(result.content).toBe(csv);
			expect(result.fields).toEqual({ poznamka: 'ahoj ž', po: 'konec' });
		}
	});

	it('has no file when none was chosen, and takes only the first file of the field', async () => {
		const none = new FormData();
		none.append('soubor', new File([], ''));
		expect((await read(none, 10)).file).toBeNull();

		const two = new FormData();
		two.append('soubor', new File(['first'], 'a.csv'));
		two.append('soubor', new File(['second'], 'b.csv'));
		const result = await read(two, 5);
		expect(result.file).toEqual({ fileName: 'a.csv', size: 5 });
		expect(result.content).toBe('first');
	});

	it('refuses what is not multipart, and a body cut short', async () => {
		expect(() => boundaryOf('application/x-www-form-urlencoded')).toThrow(MultipartError);
		expect(boundaryOf('multipart/form-data; boundary="abc def"')).toBe('abc def');
		const form = new FormData();
		form.append('soubor', new File(['data'], 'a.csv'));
		const { contentType } = await body(form, 10);
		const cut = new Response('--' + boundaryOf(contentType) + '\r\nContent-Disposition: form-data; name="soubor"; filename="a.csv"\r\n\r\nda').body;
		await expect(readMultipart(cut, contentType, 'soubor', async () => {})).rejects.toThrow(MultipartError);
	});
});
