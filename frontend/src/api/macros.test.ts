import { describe, expect, it, vi } from 'vitest';
import { op } from '../test/fixtures';

// The generated wailsjs modules call window.go; unit tests replace them.
const app = vi.hoisted(() => ({ Macros: vi.fn(), ApplyMacro: vi.fn() }));
vi.mock('../../wailsjs/go/app/App', () => app);
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(), ClipboardSetText: vi.fn() }));

import { applyMacro, BackendError, macros } from './index';

describe('macros', () => {
  it('lists them with [] for a null list or null actions, and "" where an older backend leaves a field out', async () => {
    app.Macros.mockResolvedValue([
      {
        project_id: 7,
        path: '.gitlab/service_desk_desktop/macros/refund-approved.yml',
        name: 'Refund approved',
        description: 'Tell the customer and close.',
        actions: ['add labels refund', 'close'],
        problem: '',
      },
      { project_id: 7, path: '.gitlab/service_desk_desktop/macros/broken.yml', name: 'broken', actions: null, problem: 'line 3: field asign not found' },
    ]);
    expect(await macros(7)).toEqual([
      {
        project_id: 7,
        path: '.gitlab/service_desk_desktop/macros/refund-approved.yml',
        name: 'Refund approved',
        description: 'Tell the customer and close.',
        actions: ['add labels refund', 'close'],
        problem: '',
      },
      { project_id: 7, path: '.gitlab/service_desk_desktop/macros/broken.yml', name: 'broken', description: '', actions: [], problem: 'line 3: field asign not found' },
    ]);
    expect(app.Macros).toHaveBeenCalledWith(7);
    app.Macros.mockResolvedValue(null);
    expect(await macros(7)).toEqual([]);
  });

  it('applies one and gives its ops with arrays where Go sent null; a refusal is the Go side sentence', async () => {
    const wire = (id: string) => ({ ...op(id), add_labels: null, remove_labels: null, assignees: null, add_cc: null, remove_cc: null });
    app.ApplyMacro.mockResolvedValue([wire('a'), wire('b')]);
    expect(await applyMacro(7, 12, 'Refund approved')).toEqual([op('a'), op('b')]);
    expect(app.ApplyMacro).toHaveBeenCalledWith(7, 12, 'Refund approved');
    app.ApplyMacro.mockResolvedValue(null);
    expect(await applyMacro(7, 12, 'Refund approved')).toEqual([]);

    app.ApplyMacro.mockRejectedValue('no macro "Refund" in .gitlab/service_desk_desktop/macros/');
    const err = await applyMacro(7, 12, 'Refund').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).method).toBe('ApplyMacro');
    expect((err as Error).message).toBe('no macro "Refund" in .gitlab/service_desk_desktop/macros/');
  });
});
