import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../api/types';
import { project } from '../test/fixtures';
import ReportsView from './ReportsView.svelte';

// ReportsView asks the Go side itself: the two calls are replaced, the rest
// of the api module (its types, BackendError) stays.
// The Go side's Report and ExportReport, as the view is given them.
const api = { getReport: vi.fn(), exportReport: vi.fn() };

/** Saturday Jun 15, 2024, noon where the test runs: the presets count local days. */
const NOW = new Date(2024, 5, 15, 12).getTime();
const PROJECTS = [project(7, 'Support'), project(9, 'Billing')];

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await Promise.resolve();
    await tick();
  }
}

/** A report with some of everything; over replaces what a test is about. */
function report(over: Partial<Report> = {}): Report {
  const busiest = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  busiest[2]![14] = 23; // Tuesday 14:00
  busiest[1]![9] = 5;
  return {
    from: '2024-05-17',
    to: '2024-06-15',
    opened: 42,
    closed: 37,
    unanswered: 3,
    first_response: { count: 39, median_s: 12_000, mean_s: 15_000, p90_s: 2 * 86_400 + 4 * 3_600 },
    resolution: { count: 37, median_s: 2 * 86_400, mean_s: 3 * 86_400, p90_s: 9 * 86_400 },
    replies_by_agent: [
      { agent: 'bob', replies: 12 },
      { agent: 'alex.morgan', replies: 30 },
    ],
    busiest_hours: busiest,
    days: [
      { date: '2024-06-14', opened: 4, closed: 1 },
      { date: '2024-06-15', opened: 2, closed: 3 },
    ],
    calendar: '',
    first_response_sla: { met: 0, breached: 0 },
    resolution_sla: { met: 0, breached: 0 },
    ...over,
  };
}

function show(props: { projectId?: number; now?: number } = {}) {
  return render(ReportsView, {
    props: { projects: PROJECTS, projectId: props.projectId ?? 7, now: props.now ?? NOW, read: api.getReport, save: api.exportReport },
  });
}

const byTestId = <T extends HTMLElement = HTMLElement>(id: string) => screen.getByTestId<T>(id);
const card = (key: string) => screen.getAllByTestId('report-card').find((c) => c.dataset['card'] === key)!;
const value = (key: string) => within(card(key)).getByTestId('report-value').textContent?.trim();

async function choose(testid: string, v: string) {
  await fireEvent.change(byTestId<HTMLSelectElement>(testid), { target: { value: v } });
  await settle();
}

async function type(testid: string, v: string) {
  await fireEvent.input(byTestId<HTMLInputElement>(testid), { target: { value: v } });
  await settle();
}

beforeEach(() => {
  api.getReport.mockReset().mockImplementation(async (_p: number, from: string, to: string) => report({ from, to }));
  api.exportReport.mockReset().mockResolvedValue('');
});

describe('Reports view', () => {
  it('loads the last 30 days of the sidebar’s project and shows the figures', async () => {
    show();
    await settle();
    expect(api.getReport).toHaveBeenCalledTimes(1);
    expect(api.getReport).toHaveBeenCalledWith(7, '2024-05-17', '2024-06-15');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Reports');
    expect(byTestId<HTMLSelectElement>('report-preset').value).toBe('last30');
    expect(byTestId<HTMLSelectElement>('report-project').value).toBe('7');
    expect(byTestId('report-range').textContent).toBe('May 17 – Jun 15, 2024');

    expect(screen.getAllByTestId('report-card').map((c) => c.dataset['card'])).toEqual(['opened', 'closed', 'unanswered', 'first-response', 'resolution']);
    expect([value('opened'), value('closed'), value('unanswered')]).toEqual(['42', '37', '3']);
    expect(value('first-response')).toBe('3h 20m');
    expect(card('first-response').textContent).toContain('median of 39 tickets');
    const lines = within(card('first-response')).getAllByRole('definition').map((d) => d.textContent?.trim());
    expect(lines).toEqual(['3h 20m', 'median of 39 tickets', 'mean 4h 10m', '90th percentile 2d 4h']);
    expect(value('resolution')).toBe('2d');
  });

  it('draws the charts with titles, accessible names and their numbers as tables', async () => {
    show();
    await settle();
    const days = byTestId('report-days');
    expect(within(days).getByRole('heading').textContent).toBe('Tickets opened and closed per day');
    expect(within(days).getByRole('img').getAttribute('aria-label')).toBe(
      'Tickets opened and closed per day, May 17 – Jun 15, 2024: 6 opened, 4 closed. Most opened: 4 on Jun 14, 2024.',
    );
    const dayRows = within(byTestId('report-days-table')).getAllByRole('row').map((r) => r.textContent);
    expect(dayRows).toEqual(['DayOpenedClosed', 'Jun 14, 202441', 'Jun 15, 202423']);

    // Most replies first.
    const agents = byTestId('report-agents');
    expect(within(agents).getByRole('img').getAttribute('aria-label')).toBe('Public replies per agent: 42 replies by 2 agents. Most: alex.morgan 30, bob 12.');
    const agentRows = within(byTestId('report-agents-table')).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(agentRows).toEqual(['alex.morgan30', 'bob12']);

    // Monday first, from busiest_hours[0 = Sunday].
    const heat = byTestId('report-heatmap');
    expect(byTestId('report-heatmap-note').textContent).toBe('Busiest: Tuesday 14:00–15:00, 23 messages');
    expect(within(heat).getByRole('img').getAttribute('aria-label')).toContain('Busiest: Tuesday 14:00–15:00, 23 messages');
    const heatRows = within(byTestId('report-heatmap-table')).getAllByRole('row').slice(1);
    expect(heatRows.map((r) => r.querySelector('th')?.textContent)).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
    expect(heatRows[1]!.querySelectorAll('td')[14]!.textContent).toBe('23');
    expect(heat.querySelectorAll('rect')).toHaveLength(7 * 24);
    expect(screen.getAllByText('Show as table')).toHaveLength(3);
  });

  it('asks again with the dates of another preset, and for another project', async () => {
    show();
    await settle();
    await choose('report-preset', 'last7');
    expect(api.getReport).toHaveBeenLastCalledWith(7, '2024-06-09', '2024-06-15');
    await choose('report-preset', 'last-month');
    expect(api.getReport).toHaveBeenLastCalledWith(7, '2024-05-01', '2024-05-31');
    await choose('report-preset', 'this-month');
    expect(api.getReport).toHaveBeenLastCalledWith(7, '2024-06-01', '2024-06-15');
    await choose('report-project', '0');
    expect(api.getReport).toHaveBeenLastCalledWith(0, '2024-06-01', '2024-06-15');
    expect(api.getReport).toHaveBeenCalledTimes(5);
  });

  it('follows the sidebar’s project, and asks once more only when the day changes', async () => {
    const view = show();
    await settle();
    await view.rerender({ projects: PROJECTS, projectId: 9, now: NOW });
    await settle();
    expect(api.getReport).toHaveBeenLastCalledWith(9, '2024-05-17', '2024-06-15');
    expect(byTestId<HTMLSelectElement>('report-project').value).toBe('9');
    await view.rerender({ projects: PROJECTS, projectId: 9, now: NOW + 60_000 });
    await settle();
    expect(api.getReport).toHaveBeenCalledTimes(2);
    await view.rerender({ projects: PROJECTS, projectId: 9, now: new Date(2024, 5, 16, 0, 5).getTime() });
    await settle();
    expect(api.getReport).toHaveBeenLastCalledWith(9, '2024-05-18', '2024-06-16');
    // A project the list does not have yet is still named, not shown as All projects.
    await view.rerender({ projects: PROJECTS, projectId: 11, now: NOW });
    await settle();
    expect(api.getReport).toHaveBeenLastCalledWith(11, '2024-05-17', '2024-06-15');
    const select = byTestId<HTMLSelectElement>('report-project');
    expect(select.selectedOptions[0]?.textContent).toBe('Project 11');
  });

  it('Custom starts from the shown days; a first day after the last is refused without asking', async () => {
    show();
    await settle();
    await choose('report-preset', 'custom');
    expect(byTestId<HTMLInputElement>('report-from').value).toBe('2024-05-17');
    expect(byTestId<HTMLInputElement>('report-to').value).toBe('2024-06-15');
    expect(api.getReport).toHaveBeenCalledTimes(1);

    await type('report-from', '2024-06-20');
    expect(byTestId('report-range-error').textContent).toBe('The first day (Jun 20, 2024) is after the last (Jun 15, 2024): swap them or pick other days.');
    expect(byTestId('report-from').getAttribute('aria-invalid')).toBe('true');
    expect(byTestId<HTMLButtonElement>('report-export').disabled).toBe(true);
    expect(screen.queryAllByTestId('report-card')).toHaveLength(0);
    expect(api.getReport).toHaveBeenCalledTimes(1);

    await type('report-to', '2024-06-30');
    expect(screen.queryByTestId('report-range-error')).toBeNull();
    expect(api.getReport).toHaveBeenCalledTimes(2);
    expect(api.getReport).toHaveBeenLastCalledWith(7, '2024-06-20', '2024-06-30');
  });

  it('Export CSV saves the shown range and says where; a cancelled dialog says nothing', async () => {
    show();
    await settle();
    api.exportReport.mockResolvedValueOnce('/home/agent/support-report-2024-05-17-to-2024-06-15.csv');
    await fireEvent.click(byTestId('report-export'));
    await settle();
    expect(api.exportReport).toHaveBeenCalledWith(7, '2024-05-17', '2024-06-15');
    const status = byTestId('report-export-status');
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('Saved to /home/agent/support-report-2024-05-17-to-2024-06-15.csv');

    api.exportReport.mockResolvedValueOnce('');
    await fireEvent.click(byTestId('report-export'));
    await settle();
    expect(api.exportReport).toHaveBeenCalledTimes(2);
    expect(status.textContent).toBe('');

    api.exportReport.mockRejectedValueOnce(new Error('save the report: permission denied'));
    await fireEvent.click(byTestId('report-export'));
    await settle();
    expect(status.textContent).toBe("Couldn't export the report: save the report: permission denied");
  });

  it('shows the Go side’s sentence when the report fails, and Retry asks again', async () => {
    api.getReport.mockRejectedValueOnce(new Error('the database is locked: try again in a moment'));
    show();
    await settle();
    const empty = byTestId('empty-state');
    expect(empty.dataset['kind']).toBe('report-error');
    expect(byTestId('report-error').textContent).toBe('the database is locked: try again in a moment');
    expect(screen.queryAllByTestId('report-card')).toHaveLength(0);

    await fireEvent.click(byTestId('report-retry'));
    await settle();
    expect(api.getReport).toHaveBeenCalledTimes(2);
    expect(api.getReport).toHaveBeenLastCalledWith(7, '2024-05-17', '2024-06-15');
    expect(screen.queryByTestId('report-error')).toBeNull();
    expect(value('opened')).toBe('42');
  });

  it('shows placeholders while the first report loads, then keeps the shown one while the next does', async () => {
    let answer: (r: Report) => void = () => {};
    api.getReport.mockImplementationOnce(() => new Promise<Report>((resolve) => (answer = resolve)));
    show();
    await settle();
    expect(byTestId('report-loading').textContent).toBe('Loading…');
    expect(screen.queryAllByTestId('report-card')).toHaveLength(0);
    expect(document.querySelectorAll('.skeleton').length).toBeGreaterThan(0);
    answer(report());
    await settle();
    expect(byTestId('report-loading').textContent).toBe('');
    expect(value('opened')).toBe('42');

    api.getReport.mockImplementationOnce(() => new Promise<Report>((resolve) => (answer = resolve)));
    await choose('report-preset', 'last7');
    expect(byTestId('report-loading').textContent).toBe('Loading…');
    expect(value('opened')).toBe('42');
    answer(report({ from: '2024-06-09', to: '2024-06-15', opened: 5 }));
    await settle();
    expect(value('opened')).toBe('5');
  });

  it('shows only the answer to the latest question', async () => {
    const answers: Array<(r: Report) => void> = [];
    api.getReport.mockImplementation(() => new Promise<Report>((resolve) => answers.push(resolve)));
    show();
    await settle();
    await choose('report-preset', 'last7');
    answers[1]!(report({ opened: 5 }));
    await settle();
    answers[0]!(report({ opened: 42 }));
    await settle();
    expect(value('opened')).toBe('5');
  });

  it('says when nothing happened in the range and offers a wider one', async () => {
    const none = (from: string, to: string) =>
      report({ from, to, opened: 0, closed: 0, unanswered: 0, replies_by_agent: [], busiest_hours: [], days: [], first_response: { count: 0, median_s: 0, mean_s: 0, p90_s: 0 } });
    api.getReport.mockImplementation(async (_p: number, from: string, to: string) => none(from, to));
    show();
    await settle();
    await choose('report-preset', 'last7');
    const empty = byTestId('empty-state');
    expect(empty.dataset['kind']).toBe('report-empty');
    expect(empty.textContent).toContain('No tickets in Jun 9 – Jun 15, 2024');
    expect(empty.textContent).toContain('Try a wider range.');
    await fireEvent.click(byTestId('report-widen'));
    await settle();
    expect(byTestId<HTMLSelectElement>('report-preset').value).toBe('last30');
    expect(api.getReport).toHaveBeenLastCalledWith(7, '2024-05-17', '2024-06-15');
    expect(screen.queryByTestId('report-widen')).toBeNull();
  });

  it('states "N of M within target" only where clocks were judged', async () => {
    api.getReport.mockResolvedValueOnce(report({ first_response_sla: { met: 41, breached: 9 }, resolution_sla: { met: 0, breached: 0 } }));
    show();
    await settle();
    expect(within(card('first-response')).getByTestId('report-sla').textContent).toBe('41 of 50 within target (82%)');
    expect(within(card('resolution')).queryByTestId('report-sla')).toBeNull();
    expect(screen.getAllByTestId('report-sla')).toHaveLength(1);
  });

  it('says how times are measured: the calendar, or wall-clock time with a hint for all projects', async () => {
    api.getReport.mockResolvedValueOnce(report({ calendar: 'Mon–Fri 09:00–17:00 Europe/Berlin' }));
    show();
    await settle();
    expect(byTestId('report-measured').textContent).toBe('Business hours: Mon–Fri 09:00–17:00 Europe/Berlin');

    await choose('report-project', '0');
    expect(byTestId('report-measured').textContent).toBe('Wall-clock time — pick a project to count its business hours');

    await choose('report-project', '9');
    expect(byTestId('report-measured').textContent).toBe('Wall-clock time');
  });

  it('has labelled controls the keyboard reaches', async () => {
    show();
    await settle();
    expect(screen.getByLabelText('Range')).toBe(byTestId('report-preset'));
    expect(screen.getByLabelText('Project')).toBe(byTestId('report-project'));
    expect(screen.getByRole('button', { name: 'Export CSV' })).toBe(byTestId('report-export'));
    const options = [...byTestId<HTMLSelectElement>('report-project').options].map((o) => o.textContent);
    expect(options).toEqual(['All projects', 'Support', 'Billing']);
    for (const el of [byTestId('report-preset'), byTestId('report-project'), byTestId('report-export')]) {
      expect(el.tabIndex).toBe(0);
    }
  });
});
