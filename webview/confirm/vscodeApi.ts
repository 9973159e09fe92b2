// The page's one door to the host: VS Code's webview API, typed with the protocol.
import type { PageState, PreviewPageMessage, PreviewPageState, WebviewMessage } from '../../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page; everything else goes through this object. */
const api = acquireVsCodeApi();

/** A message of this page's direction (each bundle is one page: the Confirm panel's or the live preview's). */
export function post(message: WebviewMessage | PreviewPageMessage): void {
  api.postMessage(message);
}

/** The state VS Code keeps for a hidden or reloaded panel (validated again by the host on restore). */
export function savedState<S extends PageState | PreviewPageState = PageState>(): Partial<S> {
  const value = api.getState();
  return typeof value === 'object' && value !== null ? (value as Partial<S>) : {};
}

export function saveState(state: PageState | PreviewPageState): void {
  api.setState(state);
}
