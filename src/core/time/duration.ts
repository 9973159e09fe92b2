// Durations as people write them in settings and on command lines: "30s", "500ms", "1h", "90m",
// "1h30m", "2 hours", "1.5h". A bare number is seconds.

const UNITS: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;
  let total = 0;
  let matched = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    const unit = UNITS[match[2]];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
    matched = part.lastIndex;
  }
  return matched > 0 && matched === trimmed.length ? Math.round(total) : undefined;
}

/** "30 s", "1 h", "1 h 30 min", "250 ms" */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}
