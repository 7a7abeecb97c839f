// The composer of the open ticket: its draft (loaded when a ticket opens,
// saved as the agent types, debounced, and at once when the agent leaves the
// ticket), the reply/internal-note switch, attachments, and sending.
// Attachments are files the agent picked, known by token; the Go side keeps
// the tokens for this window only, so they are kept per ticket in memory,
// not in the draft. Saves run one after
// another, so an older text never overwrites a newer one, and sending waits
// for them: a save landing after Reply would bring the deleted draft back.

import type { Draft, OutboxOp, PickedFile, ReplyRequest, TicketKey } from '../api/types';
import { message } from './errors';

/** The Go side calls this store needs. */
export interface DraftApi {
  getDraft(projectId: number, iid: number): Promise<Draft>;
  saveDraft(d: Draft): Promise<Draft>;
  reply(r: ReplyRequest): Promise<OutboxOp>;
  pickAttachments(): Promise<PickedFile[]>;
}

export const DRAFT_DEBOUNCE_MS = 500;

function parseKey(key: TicketKey): { project_id: number; iid: number } {
  const [p, i] = key.split(':');
  return { project_id: Number(p), iid: Number(i) };
}

export class ComposerStore {
  /** The ticket the composer writes on. */
  key = $state<TicketKey | null>(null);
  body = $state('');
  internal = $state(false);
  preview = $state(false);
  /** The draft is being fetched. */
  loading = $state(false);
  /** RFC 3339 time of the last save; "" when nothing is saved. */
  savedAt = $state('');
  saving = $state(false);
  /** Typed text not saved yet. */
  dirty = $state(false);
  saveError = $state('');
  sending = $state(false);
  sendError = $state('');
  /** Files picked for this reply. */
  attachments = $state.raw<PickedFile[]>([]);
  picking = $state(false);
  attachError = $state('');
  /** The composer should take the focus once it is shown (r, i, Undo, Edit). */
  wantsFocus = $state(false);

  readonly #api: DraftApi;
  readonly #debounceMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #chain: Promise<void> = Promise.resolve();
  /** Counts edits, so a save's answer knows whether the text changed meanwhile. */
  #edits = 0;
  #loadSeq = 0;
  /** Attachments of the tickets left, and of replies sent (by op id), for Undo. */
  readonly #files = new Map<string, PickedFile[]>();

  constructor(api: DraftApi, debounceMs = DRAFT_DEBOUNCE_MS) {
    this.#api = api;
    this.#debounceMs = debounceMs;
  }

  /** open switches to a ticket's draft, saving the one being left first. */
  async open(key: TicketKey | null): Promise<void> {
    if (key === this.key) return;
    void this.flush();
    if (this.key !== null) this.#keepFiles(this.key, this.attachments);
    this.key = key;
    this.attachments = key === null ? [] : (this.#files.get(key) ?? []);
    this.attachError = '';
    this.body = '';
    this.internal = false;
    this.preview = false;
    this.savedAt = '';
    this.dirty = false;
    this.saveError = '';
    this.sendError = '';
    if (key !== null) await this.#load(key);
  }

  /** reload fetches the open ticket's draft again (after Undo or Edit put text back in it). */
  async reload(): Promise<void> {
    if (this.key === null) return;
    await this.flush();
    await this.#load(this.key);
  }

  async #load(key: TicketKey): Promise<void> {
    const seq = ++this.#loadSeq;
    const edits = this.#edits;
    const { project_id, iid } = parseKey(key);
    this.loading = true;
    try {
      const d = await this.#api.getDraft(project_id, iid);
      // Text typed while the draft was on its way wins over it.
      if (seq !== this.#loadSeq || this.key !== key || edits !== this.#edits) return;
      this.body = d.body;
      this.internal = d.internal;
      this.savedAt = d.saved_at;
      this.dirty = false;
      this.saveError = '';
    } catch (err) {
      if (seq === this.#loadSeq && this.key === key) this.saveError = `Couldn't load the draft: ${message(err)}`;
    } finally {
      if (seq === this.#loadSeq) this.loading = false;
    }
  }

  /** setBody takes what the agent typed and saves it after a pause. */
  setBody(text: string): void {
    this.body = text;
    this.#edited();
  }

  /** setInternal switches between a public reply and an internal note. */
  setInternal(internal: boolean): void {
    if (this.internal === internal) return;
    this.internal = internal;
    if (this.body.trim() !== '' || this.savedAt !== '') this.#edited();
  }

  /** focus asks the composer to take the focus, as a reply or as an internal note. */
  focus(mode?: 'reply' | 'note'): void {
    if (mode) this.setInternal(mode === 'note');
    this.preview = false;
    this.wantsFocus = true;
  }

  /** focused says the composer took the focus it was asked to. */
  focused(): void {
    this.wantsFocus = false;
  }

  #edited(): void {
    this.#edits++;
    this.dirty = true;
    this.sendError = '';
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#save();
    }, this.#debounceMs);
  }

  /** flush saves typed text now; it resolves when every save has landed. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      void this.#save();
    }
    return this.#chain;
  }

  /** #save queues a save of the text as it is now, after the saves before it. */
  #save(): Promise<void> {
    const key = this.key;
    if (key === null) return this.#chain;
    const draft: Draft = { ...parseKey(key), body: this.body, internal: this.internal, saved_at: '' };
    const edits = this.#edits;
    this.#chain = this.#chain.then(async () => {
      const current = () => this.key === key;
      if (current()) this.saving = true;
      try {
        const saved = await this.#api.saveDraft(draft);
        if (!current()) return;
        this.savedAt = draft.body.trim() === '' ? '' : saved.saved_at;
        this.saveError = '';
        if (edits === this.#edits) this.dirty = false;
      } catch (err) {
        if (current()) this.saveError = `Couldn't save the draft: ${message(err)}`;
      } finally {
        if (current()) this.saving = false;
      }
    });
    return this.#chain;
  }

  #keepFiles(id: string, files: PickedFile[]): void {
    if (files.length > 0) this.#files.set(id, files);
    else this.#files.delete(id);
  }

  /** attach asks the agent for files (the system's dialog) and adds them. */
  async attach(): Promise<void> {
    const key = this.key;
    if (key === null || this.picking) return;
    this.picking = true;
    this.attachError = '';
    try {
      const picked = await this.#api.pickAttachments();
      const have = new Set(this.attachments.map((f) => f.token));
      const files = [...this.attachments, ...picked.filter((f) => !have.has(f.token))];
      if (this.key === key) this.attachments = files;
      else this.#keepFiles(key, files);
    } catch (err) {
      if (this.key === key) this.attachError = `Couldn't attach: ${message(err)}`;
    } finally {
      this.picking = false;
    }
  }

  detach(token: string): void {
    this.attachments = this.attachments.filter((f) => f.token !== token);
  }

  /** restoreFiles puts the attachments of a reply taken back (Undo, Edit) into its ticket's composer. */
  restoreFiles(opId: string, key: TicketKey): void {
    const files = this.#files.get(opId);
    if (!files) return;
    this.#files.delete(opId);
    const current = this.key === key ? this.attachments : (this.#files.get(key) ?? []);
    const have = new Set(current.map((f) => f.token));
    const merged = [...current, ...files.filter((f) => !have.has(f.token))];
    if (this.key === key) this.attachments = merged;
    else this.#keepFiles(key, merged);
  }

  /** True when there is something to send. */
  get canSend(): boolean {
    return this.key !== null && this.body.trim() !== '' && !this.sending;
  }

  /**
   * send queues the text as a reply or note (at sendAt, RFC 3339, or after
   * the undo window) and empties the composer; the Go side deletes the
   * draft. It gives the op, or null with sendError set.
   */
  async send(sendAt = ''): Promise<OutboxOp | null> {
    const key = this.key;
    if (key === null || this.sending) return null;
    if (this.body.trim() === '') {
      this.sendError = 'Write something first: the reply is empty.';
      return null;
    }
    const hadTimer = this.#timer !== undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.sending = true;
    this.sendError = '';
    const body = this.body;
    const files = this.attachments;
    const edits = this.#edits;
    try {
      await this.#chain;
      const op = await this.#api.reply({
        ...parseKey(key),
        body,
        internal: this.internal,
        send_at: sendAt,
        attachments: files.map((f) => f.token),
      });
      this.#keepFiles(op.id, files);
      if (this.key === key) this.attachments = this.attachments.filter((f) => !files.includes(f));
      if (this.key === key && edits === this.#edits) {
        this.body = '';
        this.savedAt = '';
        this.dirty = false;
        this.preview = false;
      }
      return op;
    } catch (err) {
      // The save it cancelled goes again (before the sentence: an edit clears it).
      if (hadTimer) this.#edited();
      if (this.key === key) this.sendError = message(err);
      return null;
    } finally {
      this.sending = false;
    }
  }

  dispose(): void {
    void this.flush();
  }
}
