// What the agent did with the mail in the open thread: which mails are
// shown formatted (and their sanitized HTML), attachments being saved, and
// links that could not be opened. Kept by message id, so a reload of the
// ticket (a sync, Sync now) leaves it as it was.

import { SvelteMap } from 'svelte/reactivity';
import type { MailHTML } from '../api/types';
import { message } from './errors';

/** The Go side calls this store needs. */
export interface MailApi {
  messageHTML(messageId: string): Promise<MailHTML>;
  saveAttachment(messageId: string, index: number): Promise<string>;
  openLink(url: string): Promise<void>;
}

export type HtmlState =
  | { status: 'loading' }
  | { status: 'ready'; html: string; remoteImages: number }
  | { status: 'error'; error: string };

export type SaveState =
  | { status: 'saving' }
  | { status: 'saved'; path: string }
  | { status: 'cancelled' }
  | { status: 'error'; error: string };

function saveKey(messageId: string, index: number): string {
  return `${index}\u0000${messageId}`;
}

export class MailStore {
  readonly #api: MailApi;
  readonly #formatted = new SvelteMap<string, boolean>();
  readonly #html = new SvelteMap<string, HtmlState>();
  readonly #saves = new SvelteMap<string, SaveState>();
  readonly #linkErrors = new SvelteMap<string, string>();

  constructor(api: MailApi) {
    this.#api = api;
  }

  /** True when the mail is shown formatted (its HTML in the sandboxed frame). */
  isFormatted(messageId: string): boolean {
    return this.#formatted.get(messageId) === true;
  }

  html(messageId: string): HtmlState | null {
    return this.#html.get(messageId) ?? null;
  }

  /** toggleFormatted switches between plain text and the formatted mail, loading its HTML once. */
  toggleFormatted(messageId: string): Promise<void> {
    return this.setFormatted(messageId, !this.isFormatted(messageId));
  }

  async setFormatted(messageId: string, on: boolean): Promise<void> {
    this.#formatted.set(messageId, on);
    if (!on) return;
    const now = this.#html.get(messageId);
    if (now && now.status !== 'error') return;
    this.#html.set(messageId, { status: 'loading' });
    try {
      const m = await this.#api.messageHTML(messageId);
      this.#html.set(messageId, { status: 'ready', html: m.html, remoteImages: m.remote_images });
    } catch (err) {
      this.#html.set(messageId, { status: 'error', error: message(err) });
    }
  }

  saveState(messageId: string, index: number): SaveState | null {
    return this.#saves.get(saveKey(messageId, index)) ?? null;
  }

  /** save asks the Go side to save attachment index of a mail (it shows the dialog). */
  async save(messageId: string, index: number): Promise<void> {
    const key = saveKey(messageId, index);
    if (this.#saves.get(key)?.status === 'saving') return;
    this.#saves.set(key, { status: 'saving' });
    try {
      const path = await this.#api.saveAttachment(messageId, index);
      this.#saves.set(key, path === '' ? { status: 'cancelled' } : { status: 'saved', path });
    } catch (err) {
      this.#saves.set(key, { status: 'error', error: message(err) });
    }
  }

  linkError(messageId: string): string {
    return this.#linkErrors.get(messageId) ?? '';
  }

  /** openLink hands a link to the Go side, which checks it and opens the system browser. */
  async openLink(messageId: string, url: string): Promise<void> {
    this.#linkErrors.delete(messageId);
    try {
      await this.#api.openLink(url);
    } catch (err) {
      this.#linkErrors.set(messageId, message(err));
    }
  }
}
