// What the agent did with the mail in the open thread: which mails are
// shown formatted (and their sanitized HTML), remote images being allowed,
// attachments being saved, and links that could not be opened. Kept by
// message id, so a reload of the ticket (a sync, Sync now) leaves it as it
// was.

import { SvelteMap } from 'svelte/reactivity';
import type { MailHTML } from '../api/types';
import { message } from './errors';

/** The Go side calls this store needs. */
export interface MailApi {
  messageHTML(messageId: string): Promise<MailHTML>;
  allowRemoteImages(messageId: string, sender: boolean): Promise<void>;
  saveAttachment(messageId: string, index: number): Promise<string>;
  openLink(url: string): Promise<void>;
}

export type HtmlState =
  | { status: 'loading' }
  | { status: 'ready'; html: string; remoteImages: number; remoteAllowed: boolean; senderAllowed: boolean }
  | { status: 'error'; error: string };

/** Allowing a mail's remote images: under way (for the mail or its sender), or failed. */
export type AllowState = { status: 'allowing'; sender: boolean } | { status: 'error'; error: string };

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
  readonly #allows = new SvelteMap<string, AllowState>();
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
    await this.#load(messageId);
  }

  /** #load asks the Go side for a mail's HTML; a frame already shown stays until the answer is in. */
  async #load(messageId: string): Promise<void> {
    try {
      const m = await this.#api.messageHTML(messageId);
      this.#html.set(messageId, {
        status: 'ready',
        html: m.html,
        remoteImages: m.remote_images,
        remoteAllowed: m.remote_allowed,
        senderAllowed: m.sender_allowed,
      });
    } catch (err) {
      this.#html.set(messageId, { status: 'error', error: message(err) });
    }
  }

  allowState(messageId: string): AllowState | null {
    return this.#allows.get(messageId) ?? null;
  }

  /**
   * allowImages records the agent's choice to load a mail's remote images
   * (with sender, those of every mail from its sender) and shows the mail
   * again, now with them. With sender, the other mails shown with images
   * blocked are asked for again too: the Go side knows whose they are.
   */
  async allowImages(messageId: string, sender: boolean): Promise<void> {
    if (this.#allows.get(messageId)?.status === 'allowing') return;
    this.#allows.set(messageId, { status: 'allowing', sender });
    try {
      await this.#api.allowRemoteImages(messageId, sender);
    } catch (err) {
      this.#allows.set(messageId, { status: 'error', error: message(err) });
      return;
    }
    const again = [messageId];
    if (sender) {
      for (const [id, h] of this.#html) {
        if (id !== messageId && h.status === 'ready' && h.remoteImages > 0 && !h.remoteAllowed) again.push(id);
      }
    }
    await Promise.all(again.map((id) => this.#load(id)));
    this.#allows.delete(messageId);
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
