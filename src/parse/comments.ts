/**
 * The comments of a source file, by line, read with TypeScript's parser: owner directives
 * (`ai-endpoint-audit-disable-next-line`, `ai-endpoint-audit public:`) count only inside comments, never in a
 * string or a template that happens to hold the same words.
 */
import ts from '../typescript.cjs';

/** The text of the comments on each line: a block comment over several lines gives each line its own part. */
export type CommentsByLine = ReadonlyMap<number, readonly string[]>;

export function commentsByLine(fileName: string, text: string): CommentsByLine {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
  const byLine = new Map<number, string[]>();
  const seen = new Set<number>();
  const add = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      const first = source.getLineAndCharacterOfPosition(range.pos).line + 1;
      text.slice(range.pos, range.end).split(/\r?\n|\r/).forEach((part, i) => byLine.set(first + i, [...(byLine.get(first + i) ?? []), part]));
    }
  };
  // Every token, punctuation included (a comment before a closing brace leads that brace).
  const visit = (node: ts.Node): void => {
    add(ts.getLeadingCommentRanges(text, node.pos));
    add(ts.getTrailingCommentRanges(text, node.end));
    // `{/* ... */}` in JSX: an expression container whose only content is the comment.
    if (ts.isJsxExpression(node) && !node.expression) add(ts.getLeadingCommentRanges(text, node.getStart(source) + 1));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return byLine;
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.[cm]?tsx$/.test(fileName)) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(fileName)) return ts.ScriptKind.TS;
  if (/\.[cm]?jsx$/.test(fileName)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}
