/** PDFs and barcodes; every document is rendered in the reader's language. */
export { createPdf, PdfBuilder, type DocumentLocale, type PdfOptions } from './pdf';
export { pdfFonts, MissingFontError } from './fonts';
export { renderRequestReceipt, type RequestReceiptData } from './receipt';
export { barcodePng, BarcodeError } from './barcode';
export { requestReceiptPdf } from './request-receipt';
