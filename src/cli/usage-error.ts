/**
 * A command line the CLI cannot run (unknown command or option, a bad or missing value, too many
 * arguments). `main` prints it as one `error: …` line with a pointer to `--help`, exits 2, and never
 * shows its stack.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `unknown option '--prot' (did you mean --port?)`: a suggestion only for long options. */
export function unknownOption(rawName: string, longOptions: readonly string[]): UsageError {
  const suggestion = rawName.startsWith('--') ? suggestSimilar(rawName, longOptions) : undefined;
  return new UsageError(`unknown option '${rawName}'${didYouMean(suggestion)}`);
}

/** `unknown command 'strat' (did you mean start?)`. */
export function unknownCommand(name: string, commands: readonly string[]): UsageError {
  return new UsageError(`unknown command '${name}'${didYouMean(suggestSimilar(name, commands))}`);
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
}

/**
 * The candidate closest to what was typed, for `(did you mean --port?)`; undefined when none is close.
 *
 * @example
 * suggestSimilar('--prot', ['--port', '--host']); // '--port'
 */
export function suggestSimilar(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate);
    const similarity = (Math.max(typed.length, candidate.length) - distance) / Math.max(typed.length, candidate.length);
    if (distance < bestDistance && distance <= 3 && similarity > 0.4) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance where swapping two neighbouring letters counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
