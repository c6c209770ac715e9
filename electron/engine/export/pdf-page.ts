/** The PDF page set-up, shared by headless Chromium (Node/browser mode) and Electron's printToPDF. Pure data. */
export const pdfPage = {
  format: 'A4',
  marginsMm: { top: 22, bottom: 24, left: 20, right: 20 },
  headerTemplate: '<span></span>',
  footerTemplate: '<div style="font-size:9px;width:100%;text-align:center;color:#555;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
} as const;
