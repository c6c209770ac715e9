import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
  type ICommentOptions,
  type ParagraphChild,
} from 'docx';
import type { Block, DocModel, Inline } from '../project/document/index.ts';
import { provenanceNote } from './model-extras.ts';

const headingLevels = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];
const NUMBERED = 'lh-numbered';

function runs(parts: Inline[], extra: { italics?: boolean } = {}): TextRun[] {
  const out: TextRun[] = [];
  for (const p of parts) {
    const lines = p.text.split('\n');
    lines.forEach((line, i) => {
      out.push(
        new TextRun({
          text: line,
          break: i > 0 ? 1 : undefined,
          bold: p.bold,
          italics: p.italic || extra.italics,
          underline: p.underline ? {} : undefined,
          strike: p.strike,
          font: p.code ? 'Courier New' : undefined,
        }),
      );
    });
  }
  return out;
}

/**
 * DOCX via the `docx` library: a title page, Word's built-in Heading 1..6 styles (so the navigation pane shows the
 * outline), paragraphs with emphasis, bullet and numbered lists, page numbers; provenance and scores as comments when asked.
 */
export async function renderDocx(model: DocModel, includeScores = false): Promise<Buffer> {
  const comments: ICommentOptions[] = [];
  const body: Paragraph[] = [];
  const date = new Date();
  const paragraph = (b: Block): Paragraph[] => {
    switch (b.type) {
      case 'heading':
        return [new Paragraph({ heading: headingLevels[b.level - 1], children: [new TextRun(b.text || 'Untitled section')] })];
      case 'quote':
        return [new Paragraph({ indent: { left: 720, right: 720 }, children: runs(b.inlines, { italics: true }) })];
      case 'list':
        return b.items.map((it) =>
          b.ordered
            ? new Paragraph({ numbering: { reference: NUMBERED, level: Math.min(it.depth, 8) }, children: runs(it.inlines) })
            : new Paragraph({ bullet: { level: Math.min(it.depth, 8) }, children: runs(it.inlines) }),
        );
      case 'paragraph': {
        if (!includeScores || !b.provenance) return [new Paragraph({ children: runs(b.inlines) })];
        const id = comments.length;
        comments.push({ id, author: 'Longhand', initials: 'LH', date, children: [new Paragraph({ children: [new TextRun(provenanceNote(b.provenance))] })] });
        const children: ParagraphChild[] = [new CommentRangeStart(id), ...runs(b.inlines), new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })];
        return [new Paragraph({ children })];
      }
    }
  };
  for (const b of model.blocks) body.push(...paragraph(b));

  const titlePage = [
    new Paragraph({ spacing: { before: 3600 } }),
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun(model.title || 'Untitled')] }),
    ...(model.author ? [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 400 }, children: [new TextRun({ text: model.author, size: 28 })] })] : []),
  ];
  const doc = new Document({
    creator: model.author || 'Longhand',
    title: model.title || 'Untitled',
    description: 'Written with Longhand',
    comments: { children: comments },
    // The built-in heading styles with outline levels: Word's navigation pane, LibreOffice's navigator and PDF bookmarks use them.
    styles: {
      default: {
        title: { run: { size: 56, bold: true }, paragraph: { spacing: { after: 240 } } },
        ...Object.fromEntries(
          [32, 28, 26, 24, 22, 22].map((size, i) => [
            `heading${i + 1}`,
            { run: { size, bold: true, color: '1F3864' }, paragraph: { outlineLevel: i, keepNext: true, keepLines: true, spacing: { before: 360 - i * 40, after: 120 } } },
          ]),
        ),
      },
    },
    numbering: {
      config: [
        {
          reference: NUMBERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      { children: titlePage },
      {
        footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT] })] })] }) },
        children: body.length ? body : [new Paragraph('')],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
