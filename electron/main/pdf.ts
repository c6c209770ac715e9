import { BrowserWindow } from 'electron';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pdfPage } from '../engine/export/pdf-page.ts';

const MM_PER_INCH = 25.4;

/**
 * Prints a standalone HTML page (the exporter's, scripts already stripped) to `outFile` with Chromium's own
 * printToPDF in a hidden, sandboxed window with JavaScript off: the same page set-up as headless Chromium.
 */
export async function printHtmlToPdf(html: string, outFile: string): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'longhand-print-'));
  const page = path.join(dir, 'document.html');
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false } });
  try {
    await fs.writeFile(page, html);
    await win.loadURL(pathToFileURL(page).toString());
    const m = pdfPage.marginsMm;
    const pdf = await win.webContents.printToPDF({
      pageSize: pdfPage.format,
      printBackground: false,
      displayHeaderFooter: true,
      headerTemplate: pdfPage.headerTemplate,
      footerTemplate: pdfPage.footerTemplate,
      margins: { top: m.top / MM_PER_INCH, bottom: m.bottom / MM_PER_INCH, left: m.left / MM_PER_INCH, right: m.right / MM_PER_INCH },
      generateDocumentOutline: true,
      generateTaggedPDF: true,
    });
    await fs.writeFile(outFile, pdf);
  } finally {
    win.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
