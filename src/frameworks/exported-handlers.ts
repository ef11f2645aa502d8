/**
 * The exported handlers of a file-routed module (`export async function POST`, `export const { GET } = handlers`),
 * shared by the App Router, its middleware file and Expo Router.
 */
import ts from '../typescript.cjs';

export interface ExportedHandler {
  name: string;
  /** The function, or the expression exported under that name. */
  value: ts.Expression | ts.FunctionDeclaration;
  anchor: ts.Node;
}

/** Exported declarations named `names`: functions, `const X = ...`, and `export { handler as X }`. */
export function exportedHandlers(sourceFile: ts.SourceFile, names: readonly string[]): ExportedHandler[] {
  const found: ExportedHandler[] = [];
  for (const statement of sourceFile.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isFunctionDeclaration(statement) && statement.name && names.includes(statement.name.text)) {
      found.push({ name: statement.name.text, value: statement, anchor: statement });
    } else if (exported && ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && names.includes(declaration.name.text) && declaration.initializer) {
          found.push({ name: declaration.name.text, value: declaration.initializer, anchor: statement });
        } else if (ts.isObjectBindingPattern(declaration.name) && declaration.initializer) {
          // export const { GET, POST } = handlers;
          for (const element of declaration.name.elements) {
            if (ts.isIdentifier(element.name) && names.includes(element.name.text)) {
              found.push({ name: element.name.text, value: element.name, anchor: statement });
            }
          }
        }
      }
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const specifier of statement.exportClause.elements) {
        if (names.includes(specifier.name.text)) {
          found.push({ name: specifier.name.text, value: specifier.propertyName && ts.isIdentifier(specifier.propertyName) ? specifier.propertyName : specifier.name, anchor: statement });
        }
      }
    }
  }
  return found;
}
