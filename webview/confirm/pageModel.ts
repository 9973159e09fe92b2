// What the page knows at a moment: the last messages from the host plus the user's own input that
// has not been sent yet (the schedule fields). Rendering is a pure function of this object.
import type { ActionName, ConfirmView, MailingStatus, PageKind, PreviewWidth, RecipientLogFilter, RecipientPage, StatisticsView, UiContext, WhenResolution } from '../../src/protocol';

export interface WhenInput {
  text: string;
  /** The id of the last resolveWhen request; older answers are ignored. */
  requestId: number;
  /** The answer for the current text, once it came. */
  resolution?: WhenResolution;
}

/** The recipient table: the query it shows, the host's answer to it, and the rows the user selected. */
export interface RecipientTableState {
  /** The id of the last query; an answer to an older one is dropped. */
  id: number;
  filter?: RecipientLogFilter;
  search: string;
  offset: number;
  page?: RecipientPage;
  /** The page's instants in words, written by the host. */
  moments?: Record<string, string>;
  /** Addresses selected for "Resend to selected" (kept across pages and filters). */
  selected: Set<string>;
}

export interface PageModel {
  page: PageKind;
  ui?: UiContext;
  model?: ConfirmView;
  statistics?: StatisticsView;
  busy?: ActionName;
  /** The outcome of the last action, and the state it was about (dropped when the state moves on). */
  result?: { ok: boolean; message: string; code?: string; status?: MailingStatus };
  when: WhenInput;
  /** The date picker's value: wall-clock `YYYY-MM-DDTHH:mm[:ss]` in the mailing's zone. */
  picker: string;
  previewWidth: PreviewWidth;
  /** The preview shows the message as dark-mode clients do (kept in the page's state). */
  previewDark: boolean;
  /** Undefined until the Statistics page of a mailing with recipients asks for its first page. */
  recipients?: RecipientTableState;
}

/** What the rendered page can ask for; main.ts turns these into protocol messages and state changes. */
export interface PageActions {
  post(action: ActionName): void;
  reveal(index: number): void;
  schedule(): void;
  setNow(): void;
  pickerChanged(value: string): void;
  whenTextChanged(text: string): void;
  selectPreviewRecipient(index: number): void;
  setPreviewWidth(width: PreviewWidth): void;
  setPreviewDark(dark: boolean): void;
  /** Ask the host for another page, kind or search of the recipient table. */
  queryRecipients(change: { filter?: RecipientLogFilter; search?: string; offset: number }): void;
  selectRecipients(emails: string[], selected: boolean): void;
  resendSelected(): void;
  /** Export exactly the rows the table's filter and search show. */
  exportView(): void;
  loadRemoteImages(): void;
  showPage(page: PageKind): void;
  dismissResult(): void;
}
