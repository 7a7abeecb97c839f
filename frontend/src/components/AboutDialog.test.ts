import { render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import AboutDialog from './AboutDialog.svelte';
import type { About } from '../api/types';
import { settle } from '../test/render';

const info: About = {
  name: 'Service Desk',
  version: 'v1.4.0-3-gabc1234',
  go_version: 'go1.26.8',
  platform: 'linux/amd64',
  data_dir: '/home/alex/.local/share/servicedesk',
  demo: false,
  keychain: 'Secret Service (GNOME Keyring or KWallet), items of service "servicedesk"',
};

describe('AboutDialog', () => {
  it('shows the version, the data folder and where the secrets are', async () => {
    render(AboutDialog, { load: () => Promise.resolve(info), onclose: () => {} });
    await settle();
    expect(screen.getByTestId('about-version').textContent).toBe('v1.4.0-3-gabc1234');
    expect(screen.getByTestId('about-data-dir').textContent).toContain('/home/alex/.local/share/servicedesk');
    expect(screen.getByTestId('about-data-dir').textContent).not.toContain('temporary');
    expect(screen.getByTestId('about-keychain').textContent).toContain('Secret Service');
    expect(screen.getByTestId('about-dialog').textContent).toContain('linux/amd64');
  });

  it("says the demo's folder goes away", async () => {
    render(AboutDialog, { load: () => Promise.resolve({ ...info, demo: true, data_dir: '/tmp/servicedesk-demo-1' }), onclose: () => {} });
    await settle();
    expect(screen.getByTestId('about-data-dir').textContent).toContain('deleted when the window closes');
  });

  it('says when no profile is open', async () => {
    render(AboutDialog, { load: () => Promise.resolve({ ...info, data_dir: '' }), onclose: () => {} });
    await settle();
    expect(screen.getByTestId('about-data-dir').textContent).toContain('No profile is open');
  });

  it('shows why the details could not be read', async () => {
    render(AboutDialog, { load: () => Promise.reject(new Error('The window is closing.')), onclose: () => {} });
    await settle();
    expect(screen.getByTestId('about-error').textContent).toBe('The window is closing.');
    expect(screen.queryByTestId('about-version')).toBeNull();
  });

  it('closes with Escape', async () => {
    const onclose = vi.fn();
    render(AboutDialog, { load: () => Promise.resolve(info), onclose });
    await settle();
    screen.getByTestId('about-dialog').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(onclose).toHaveBeenCalledOnce();
  });
});
