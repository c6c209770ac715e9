import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import type { DocModel } from '../project/document/index.ts';
import { blockHtml, escapeHtml } from './html.ts';
import { chapters } from './model-extras.ts';

const css = `
body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2, h3, h4, h5, h6 { font-family: sans-serif; line-height: 1.25; }
p { margin: 0 0 0.8em; text-indent: 0; }
blockquote { margin: 1em 2em; font-style: italic; }
.title-page { text-align: center; margin-top: 30%; }
.title-page .title { font-size: 2em; font-weight: bold; }
`.trim();

function xhtml(lang: string, title: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${lang}" lang="${lang}">
<head>
<meta charset="UTF-8"/>
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>
</head>
<body>
${body}
</body>
</html>
`;
}

/** EPUB 3: mimetype first (stored), container, OPF with title/author/language/identifier, nav TOC, one XHTML file per chapter. */
export async function renderEpub(model: DocModel, opts: { identifier?: string; includeScores?: boolean } = {}): Promise<Buffer> {
  const lang = escapeHtml(model.language || 'en');
  const title = model.title || 'Untitled';
  const id = opts.identifier && /^[0-9a-f-]{36}$/i.test(opts.identifier) ? opts.identifier : randomUUID();
  const modified = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const zip = new JSZip();
  zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
  zip.file(
    'META-INF/container.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`,
  );
  const titleBody = `<section class="title-page" epub:type="titlepage"><p class="title">${escapeHtml(title)}</p>${model.author ? `<p class="author">${escapeHtml(model.author)}</p>` : ''}</section>`;
  zip.file('OEBPS/title.xhtml', xhtml(lang, title, titleBody));
  zip.file('OEBPS/style.css', css);

  const chs = chapters(model.blocks);
  const nav: string[] = [];
  chs.forEach((ch, i) => {
    const file = `chapter-${i + 1}.xhtml`;
    const subs: string[] = [];
    const body = ch.blocks
      .map((b, j) => {
        const anchor = b.type === 'heading' ? `h-${j}` : undefined;
        if (b.type === 'heading' && j > 0) subs.push(`<li><a href="${file}#${anchor}">${escapeHtml(b.text || 'Untitled section')}</a></li>`);
        return blockHtml(b, { xhtml: true, includeScores: opts.includeScores }, anchor);
      })
      .join('\n');
    zip.file(`OEBPS/${file}`, xhtml(lang, ch.title || title, `<section epub:type="chapter">\n${body}\n</section>`));
    const label = escapeHtml(ch.title || (i === 0 ? 'Opening' : `Part ${i + 1}`));
    nav.push(`<li><a href="${file}">${label}</a>${subs.length ? `<ol>${subs.join('')}</ol>` : ''}</li>`);
  });
  zip.file(
    'OEBPS/nav.xhtml',
    xhtml(lang, 'Contents', `<nav epub:type="toc" id="toc"><h1>Contents</h1><ol><li><a href="title.xhtml">${escapeHtml(title)}</a></li>${nav.join('')}</ol></nav>`),
  );
  const items = chs.map((_, i) => `<item id="ch${i + 1}" href="chapter-${i + 1}.xhtml" media-type="application/xhtml+xml"/>`).join('\n    ');
  const spine = chs.map((_, i) => `<itemref idref="ch${i + 1}"/>`).join('\n    ');
  zip.file(
    'OEBPS/content.opf',
    `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="${lang}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="bookid">urn:uuid:${id}</dc:identifier>
    <dc:title>${escapeHtml(title)}</dc:title>
    <dc:creator>${escapeHtml(model.author || 'Unknown')}</dc:creator>
    <dc:language>${lang}</dc:language>
    <meta property="dcterms:modified">${modified}</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>
    ${items}
  </manifest>
  <spine>
    <itemref idref="title"/>
    ${spine}
  </spine>
</package>
`,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', mimeType: 'application/epub+zip' });
}
