// The languages every face speaks: English and Dutch (the product comes from a Dutch help page).
// Which one a face uses: VS Code's display language, the CLI's locale environment (`--lang` wins).

export type Lang = 'en' | 'nl';

export const LANGS: readonly Lang[] = ['en', 'nl'];

/** The language of a locale name: `nl`, `nl-BE`, `nl_NL.UTF-8` → nl; anything else → undefined. */
export function langOf(locale: string | undefined): Lang | undefined {
  const name = locale?.trim().toLowerCase();
  if (!name) return undefined;
  if (/^nl(?:[-_.@]|$)/.test(name)) return 'nl';
  if (/^en(?:[-_.@]|$)/.test(name) || name === 'c' || name === 'posix' || name.startsWith('c.')) return 'en';
  return undefined;
}

/**
 * The language of a command-line process, as command-line tools choose it (POSIX): the first of
 * LC_ALL, LC_MESSAGES and LANG that is set decides; a locale in neither language means English.
 */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG'] as const) {
    const value = env[name];
    if (value) return langOf(value) ?? 'en';
  }
  return 'en';
}
