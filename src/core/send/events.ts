// Live progress of the mailings this process sends, for faces that did not start the send themselves
// (the Mailings view, the status bar, a Statistics webview opened later).
import { EventEmitter } from 'node:events';
import type { Statistics } from '../types';

export interface MailingEventMap {
  /** Statistics while sending (throttled), and the final ones. */
  progress: [file: string, statistics: Statistics];
  /** A state change made by an action (confirmed, scheduled, started, stopped, completed…). */
  state: [file: string, statistics: Statistics];
}

export const mailingEvents = new EventEmitter<MailingEventMap>();
// Every window/view may listen; a listener leak warning would be noise.
mailingEvents.setMaxListeners(0);
