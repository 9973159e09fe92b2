// Loads a page bundle (dist/webview/<bundle>.js and .css) into a webview: the HTML shell of html.ts
// with a fresh nonce, its CSP following the remote-images choice. The page restores its own state.
import * as vscode from 'vscode';
import { makeNonce, webviewHtml } from './html';

export function loadPageShell(webview: vscode.Webview, dist: vscode.Uri, bundle: 'confirm' | 'preview', title: string, remoteImages: boolean): void {
  webview.html = webviewHtml({
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${bundle}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, `${bundle}.css`)).toString(),
    lang: vscode.env.language,
    title,
    remoteImages,
  });
}
