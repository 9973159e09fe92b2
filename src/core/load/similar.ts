// "Did you mean …?": the nearest known name to a misspelt one, by edit distance. Bounded by length:
// a typo of a key, field or zone is short, so longer words and candidates are not compared at all,
// and each comparison stops as soon as it cannot beat the best so far (a 10 MB header line costs its
// length check, not 10 MB × 10 MB of work).

/** Words or candidates longer than this get no suggestion. */
export const MAX_SUGGESTED_LENGTH = 64;

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (`smpt` -> `smtp`), ignoring
 * case (a case-only difference counts as 0.5, so it wins over any real edit). Past `max` the exact
 * value does not matter: the result is then some number above `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 0.5;
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  let previousMin = 0;
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
      if (current[j] < rowMin) rowMin = current[j];
    }
    // Later cells come from this row (never cheaper) or, by a swap, from the row before plus one.
    if (rowMin > max && previousMin >= max) return max + 1;
    previousMin = rowMin;
    before = previous;
    previous = current;
  }
  return previous[y.length];
}

/** The candidate nearest to `word`, when it is near enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > MAX_SUGGESTED_LENGTH) return undefined;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word || candidate.length > MAX_SUGGESTED_LENGTH) continue;
    const distance = editDistance(word, candidate, Math.min(limit, bestDistance));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
