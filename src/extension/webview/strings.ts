// The page's strings, localized on the host (vscode.l10n: the English message is the key) and sent to
// the page in every `model` message. One way to localize: the page itself never translates.
import * as vscode from 'vscode';
import { UI_STRINGS, type UiContext, type UiStringKey, type UiStrings } from '../../protocol';

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
