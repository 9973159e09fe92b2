// The page's strings, localized on the host (vscode.l10n: the English message is the key) and sent to
// the page in every `model` message. One way to localize: the page itself never translates.
import * as vscode from 'vscode';
import type { UiContext, UiStringKey, UiStrings } from '../../protocol';
import { UI_STRINGS } from './uiStrings';

let cached: { language: string; strings: UiStrings } | undefined;

export function uiContext(): UiContext {
  const language = vscode.env.language;
  if (!cached || cached.language !== language) {
    const strings = {} as Record<UiStringKey, string>;
    for (const key of Object.keys(UI_STRINGS) as UiStringKey[]) strings[key] = vscode.l10n.t(UI_STRINGS[key]);
    cached = { language, strings };
  }
  return { locale: language, strings: cached.strings };
}
