import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The fonts of the portal's PDFs. pdfkit's built-in Helvetica has no glyphs for ř, ě, ů …,
 * so a TrueType font with Latin Extended-A is embedded (pdfkit subsets it per document).
 *
 * Resolved from packages at run time, never bundled: `dejavu-fonts-ttf` is the runtime
 * dependency meant for this. Until it is installed, Liberation Sans from `pdfjs-dist`
 * (a dependency of the dev dependency pdf-parse) stands in, so that development and tests
 * work; a production install without dev dependencies then fails loudly at the first PDF.
 */
export interface PdfFonts {
	regular: string;
	bold: string;
}

const CANDIDATES: readonly { regular: string; bold: string }[] = [
	{ regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf', bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf' },
	{
		regular: 'pdfjs-dist/standard_fonts/LiberationSans-Regular.ttf',
		bold: 'pdfjs-dist/standard_fonts/LiberationSans-Bold.ttf'
	}
];

export class MissingFontError extends Error {}

let resolved: PdfFonts | undefined;

function tryResolve(require: NodeJS.Require, specifier: string): string | undefined {
	try {
		const file = require.resolve(specifier);
		return existsSync(file) ? file : undefined;
	} catch {
		return undefined;
	}
}

/** Absolute paths of the regular and bold font files; throws naming the package to install. */
export function pdfFonts(): PdfFonts {
	if (resolved) return resolved;
	const require = createRequire(import.meta.url);
	for (const candidate of CANDIDATES) {
		const regular = tryResolve(require, candidate.regular);
		const bold = tryResolve(require, candidate.bold);
		if (regular && bold) {
			resolved = { regular, bold };
			return resolved;
		}
	}
	throw new MissingFontError(
		'No PDF font with Czech diacritics found: install the runtime dependency `dejavu-fonts-ttf` (npm install dejavu-fonts-ttf).'
	);
}
