import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../test/fixtures';
import { ComposerStore, DRAFT_DEBOUNCE_MS } from './composer.svelte';

afterEach(() => {
  vi.useRealTimers();
});

/** A gate the fake's SaveDraft waits on, opened by hand. */
function gate(api: FakeApi): () => void {
  let open = () => {};
  api.draftGate = new Promise<void>((resolve) => (open = resolve));
  return () => {
    api.draftGate = null;
    open();
  };
}

describe('ComposerStore drafts', () => {
  it('loads the draft of the ticket it opens', async () => {
    const api = new FakeApi();
    api.drafts.set('7:2', { project_id: 7, iid: 2, body: 'Half-written answer', internal: true, saved_at: '2024-06-15T10:42:00Z' });
    const c = new ComposerStore(api);
    await c.open('7:2');
    expect(c.body).toBe('Half-written answer');
    expect(c.internal).toBe(true);
    expect(c.savedAt).toBe('2024-06-15T10:42:00Z');
    await c.open('7:3');
    expect(c.body).toBe('');
    expect(c.internal).toBe(false);
    expect(c.savedAt).toBe('');
  });

  it('saves once, 500 ms after the agent stops typing, with the last text', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    c.setBody('H');
    await vi.advanceTimersByTimeAsync(300);
    c.setBody('He');
    await vi.advanceTimersByTimeAsync(300);
    c.setBody('Hello');
    expect(c.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS - 1);
    expect(api.draftSaves).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.draftSaves).toEqual([{ project_id: 7, iid: 1, body: 'Hello', internal: false, saved_at: '' }]);
    expect(c.dirty).toBe(false);
    expect(c.savedAt).not.toBe('');
  });

  it('keeps the draft when the agent switches tickets before the pause, and brings it back', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    c.setBody('Reply to one');
    await c.open('7:2');
    expect(api.draftSaves.map((d) => [d.iid, d.body])).toEqual([[1, 'Reply to one']]);
    expect(c.body).toBe('');
    c.setBody('Reply to two');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    await c.open('7:1');
    expect(c.body).toBe('Reply to one');
    // A new composer (the app restarted) finds both.
    const again = new ComposerStore(api);
    await again.open('7:2');
    expect(again.body).toBe('Reply to two');
  });

  it('shows Saving while a save is on its way and never lets an older save win', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    const release = gate(api);
    c.setBody('first');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    expect(c.saving).toBe(true);
    c.setBody('second');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    release();
    await c.flush();
    expect(api.draftSaves.map((d) => d.body)).toEqual(['first', 'second']);
    expect(api.drafts.get('7:1')?.body).toBe('second');
    expect(c.saving).toBe(false);
    expect(c.dirty).toBe(false);
  });

  it('deletes the draft when the text is emptied, and saves the reply/note switch', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    c.setBody('note text');
    c.setInternal(true);
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    expect(api.drafts.get('7:1')).toMatchObject({ body: 'note text', internal: true });
    c.setBody('   ');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    expect(api.drafts.has('7:1')).toBe(false);
    expect(c.savedAt).toBe('');
  });

  it('says when a save failed, and keeps the text', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    api.draftResult = new Error('disk full');
    c.setBody('keep me');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    expect(c.saveError).toBe("Couldn't save the draft: disk full");
    expect(c.body).toBe('keep me');
    expect(c.dirty).toBe(true);
  });
});

describe('ComposerStore send', () => {
  it('waits for the save under way, sends the text and empties the composer; the draft is gone', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    const release = gate(api);
    c.setBody('draft v1');
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    c.setBody('Final answer');
    const sending = c.send();
    expect(c.sending).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.replies).toEqual([]); // the save under way lands first
    release();
    const op = await sending;
    expect(api.replies).toEqual([{ project_id: 7, iid: 1, body: 'Final answer', internal: false, send_at: '', attachments: [] }]);
    expect(op?.kind).toBe('reply');
    expect(c.body).toBe('');
    expect(c.savedAt).toBe('');
    // The pending debounced save was cancelled: it cannot bring the draft back.
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS * 2);
    expect(api.draftSaves.map((d) => d.body)).toEqual(['draft v1']);
    expect(api.drafts.has('7:1')).toBe(false);
  });

  it('sends an internal note at a chosen time', async () => {
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:4');
    c.setBody('For the team');
    c.setInternal(true);
    const op = await c.send('2024-06-16T07:00:00.000Z');
    expect(api.replies[0]).toEqual({ project_id: 7, iid: 4, body: 'For the team', internal: true, send_at: '2024-06-16T07:00:00.000Z', attachments: [] });
    expect(op?.kind).toBe('note');
  });

  it('refuses an empty reply without asking the Go side, and keeps the text when sending fails', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    const c = new ComposerStore(api);
    await c.open('7:1');
    c.setBody('  ');
    expect(await c.send()).toBeNull();
    expect(c.sendError).toBe('Write something first: the reply is empty.');
    expect(api.replies).toEqual([]);

    api.replyResult = new Error('the send-later time has passed: pick a time ahead');
    c.setBody('Hello');
    expect(await c.send('2020-01-01T00:00:00Z')).toBeNull();
    expect(c.sendError).toBe('the send-later time has passed: pick a time ahead');
    expect(c.body).toBe('Hello');
    // The draft is saved after all.
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    expect(api.drafts.get('7:1')?.body).toBe('Hello');
  });
});

describe('ComposerStore attachments', () => {
  const invoice = { token: 't1', name: 'invoice.pdf', size: 48_000 };
  const log = { token: 't2', name: 'error.log', size: 900 };

  it('adds picked files, sends their tokens and keeps them per ticket', async () => {
    const api = new FakeApi();
    api.picks = [[invoice], [invoice, log], []];
    const c = new ComposerStore(api);
    await c.open('7:1');
    await c.attach();
    await c.attach();
    expect(c.attachments).toEqual([invoice, log]);
    await c.attach(); // cancelled: nothing changes
    c.detach('t2');
    await c.open('7:2');
    expect(c.attachments).toEqual([]);
    await c.open('7:1');
    expect(c.attachments).toEqual([invoice]);
    c.setBody('See the invoice.');
    const op = await c.send();
    expect(api.replies.at(-1)?.attachments).toEqual(['t1']);
    expect(c.attachments).toEqual([]);
    // Undo brings them back with the text.
    c.restoreFiles(op!.id, '7:1');
    expect(c.attachments).toEqual([invoice]);
  });

  it('says when the dialog failed', async () => {
    const api = new FakeApi();
    api.picks = [new Error('cannot attach secrets: not a readable file')];
    const c = new ComposerStore(api);
    await c.open('7:1');
    await c.attach();
    expect(c.attachError).toBe("Couldn't attach: cannot attach secrets: not a readable file");
    expect(c.attachments).toEqual([]);
  });
});
