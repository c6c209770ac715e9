import { fail } from '../errors.ts';
import { findChromium } from '../doctor.ts';
import { pdfPage } from './pdf-page.ts';

/** Prints a standalone HTML page to a PDF file. Node/browser mode: headless Chromium; the Electron host may pass printToPDF. */
export type HtmlToPdf = (html: string, outFile: string) => Promise<void>;

/** Headless Chromium (playwright-core, the system's Chromium): A4, page numbers in the footer, headings as PDF bookmarks. */
export const chromiumPdf: HtmlToPdf = async (html, outFile) => {
  const executablePath = findChromium();
  if (!executablePath) {
    fail('unavailable', 'PDF export needs Chromium, which was not found on this machine.', {
      hint: 'Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH; or export HTML and print it from a browser.',
    });
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({
      path: outFile,
      format: pdfPage.format,
      printBackground: false,
      displayHeaderFooter: true,
      headerTemplate: pdfPage.headerTemplate,
      footerTemplate: pdfPage.footerTemplate,
      margin: Object.fromEntries(Object.entries(pdfPage.marginsMm).map(([k, v]) => [k, `${v}mm`])),
      outline: true,
      tagged: true,
    });
  } finally {
    await browser.close();
  }
};
