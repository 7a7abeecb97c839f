import { fireEvent } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAVE_DELAY_MS } from '../lib/prefs.svelte';
import { FakeApi } from '../test/fixtures';
import { byTestId, click, renderApp, screen, settle } from '../test/render';

afterEach(() => {
  vi.useRealTimers();
});

const LABEL = 'Desktop notification when a new ticket needs a reply';

/** The app with saved preferences and the settings window open, on fake timers for the delayed save. */
async function openSettings(notify: boolean) {
  vi.useFakeTimers();
  const api = new FakeApi();
  api.savedPrefs = { sidebar_width: 240, list_width: 420, notify };
  const app = await renderApp(api);
  await click('open-accounts');
  return { api, ...app };
}

const toggle = () => screen.getByRole<HTMLInputElement>('checkbox', { name: LABEL });

describe('the notification preference', () => {
  it('shows in the settings window, labelled, with the saved choice', async () => {
    await openSettings(false);
    const modal = byTestId('settings-modal');
    const section = screen.getByRole('region', { name: 'Preferences' });
    expect(modal.contains(section)).toBe(true);
    expect(section.contains(toggle())).toBe(true);
    expect(toggle().checked).toBe(false);
    expect(toggle().getAttribute('aria-describedby')).toBe('pref-notify-hint');
  });

  it('is on when the agent never chose', async () => {
    await openSettings(true);
    expect(toggle().checked).toBe(true);
  });

  it('turned off, saves once with the pane widths kept', async () => {
    const { api, state } = await openSettings(true);
    await fireEvent.click(toggle());
    await settle();
    expect(toggle().checked).toBe(false);
    expect(state.prefs.prefs.notify).toBe(false);
    expect(api.prefsSaves).toEqual([]);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(api.prefsSaves).toEqual([{ sidebar_width: 240, list_width: 420, notify: false }]);

    // Back on: the Go side reads the record before each notification.
    await fireEvent.click(toggle());
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(api.prefsSaves.at(-1)).toEqual({ sidebar_width: 240, list_width: 420, notify: true });
    expect(byTestId('settings-modal').querySelector('[data-testid="prefs-error"]')).toBeNull();
  });

  it('is reached with Tab inside the window, after the accounts', async () => {
    await openSettings(true);
    const modal = byTestId('settings-modal');
    const focusables = [...modal.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled])')];
    expect(focusables.at(-1)).toBe(toggle());
    // Tab on it wraps to the first control: the modal counts it.
    toggle().focus();
    await fireEvent.keyDown(toggle(), { key: 'Tab' });
    expect(document.activeElement).toBe(focusables[0]);
  });

  it('says when the choice could not be saved', async () => {
    const { api } = await openSettings(true);
    vi.spyOn(api, 'savePrefs').mockRejectedValue(new Error('The local database is locked.'));
    await fireEvent.click(toggle());
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    await settle();
    const error = byTestId('prefs-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain("Couldn't save this setting: The local database is locked.");
  });

  it('says when the saved choice could not be read', async () => {
    vi.useFakeTimers();
    const api = new FakeApi();
    api.savedPrefs = new Error('The local database is locked.');
    await renderApp(api);
    await click('open-accounts');
    expect(byTestId('prefs-error').textContent).toContain("Couldn't read the saved setting: The local database is locked.");
    expect(toggle().checked).toBe(true);
  });
});
