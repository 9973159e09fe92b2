// The page's one door to the host: VS Code's webview API, typed with the protocol.
import type { PageState, WebviewMessage } from '../../src/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page; everything else goes through this object. */
const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

/** The state VS Code keeps for a hidden or reloaded panel (validated again by the host on restore). */
export function savedState(): Partial<PageState> {
  const value = api.getState();
  return typeof value === 'object' && value !== null ? (value as Partial<PageState>) : {};
}

export function saveState(state: PageState): void {
  api.setState(state);
}
