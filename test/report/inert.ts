/** Checks that printed output holds nothing a terminal or the GitHub Actions runner would act on. */

/** A line that a terminal or the Actions runner would act on, or undefined when every line is inert. */
export function unsafeLine(output: string, ownCommands = false): string | undefined {
  return output.split('\n').find((line) => {
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(line)) return true;
    if (/##(\[|vso\[)/i.test(line)) return true;
    if (!/^\s*::/.test(line)) return false;
    return !(ownCommands && /^::(error|warning|notice) file=/.test(line));
  });
}
