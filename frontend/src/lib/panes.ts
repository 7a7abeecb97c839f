// The widths of the sidebar and the ticket list, as the splitters between
// the panes set them: the ranges they may take and what a key does. Pure, so
// the rules are tested without a layout. App.svelte's grid applies the same
// ranges in CSS (paneColumns), so a window made smaller later keeps them too.

/** The panes a splitter resizes. */
export type PaneName = 'sidebar' | 'list';

/** How far an arrow key moves a splitter, in CSS pixels. */
export const SPLITTER_STEP_PX = 16;

/** The widths, in rem, that keep every pane readable. */
export const SIDEBAR_MIN_REM = 10;
export const SIDEBAR_MAX_REM = 22;
export const LIST_MIN_REM = 16;
/** What the ticket pane keeps at least, to the right of the list. */
export const TICKET_MIN_REM = 22;

/** The widths a pane may take, in CSS pixels. */
export interface WidthRange {
  min: number;
  max: number;
}

/**
 * paneRange gives the widths a pane may take: the sidebar between fixed
 * bounds, the list from its minimum to what leaves the ticket pane its own.
 * rem is the pixels of a rem (the root font size), total the width of all
 * panes and sidebar the sidebar's width, in CSS pixels.
 */
export function paneRange(pane: PaneName, rem: number, total: number, sidebar: number): WidthRange {
  if (pane === 'sidebar') return { min: SIDEBAR_MIN_REM * rem, max: SIDEBAR_MAX_REM * rem };
  const min = LIST_MIN_REM * rem;
  return { min, max: Math.max(min, total - sidebar - TICKET_MIN_REM * rem) };
}

/** clampWidth puts px in range, in whole pixels. */
export function clampWidth(px: number, range: WidthRange): number {
  return Math.round(Math.min(Math.max(px, range.min), Math.max(range.min, range.max)));
}

/**
 * keyWidth is the width a key on a splitter asks for: ArrowLeft and
 * ArrowRight narrow and widen by SPLITTER_STEP_PX, Home and End go to the
 * ends of the range. null for any other key.
 */
export function keyWidth(key: string, width: number, range: WidthRange): number | null {
  switch (key) {
    case 'ArrowLeft':
      return clampWidth(width - SPLITTER_STEP_PX, range);
    case 'ArrowRight':
      return clampWidth(width + SPLITTER_STEP_PX, range);
    case 'Home':
      return clampWidth(range.min, range);
    case 'End':
      return clampWidth(range.max, range);
    default:
      return null;
  }
}

/**
 * paneColumns is the CSS of the grid's columns: a remembered width (CSS
 * pixels; 0 for the default, which the grid's --sidebar-default and
 * --list-default give) held to the same ranges as paneRange.
 */
export function paneColumns(sidebar: number, list: number): { sidebar: string; list: string } {
  const sidebarWidth = sidebar > 0 ? `${Math.round(sidebar)}px` : 'var(--sidebar-default)';
  const listWidth = list > 0 ? `${Math.round(list)}px` : 'var(--list-default)';
  return {
    sidebar: `clamp(${SIDEBAR_MIN_REM}rem, ${sidebarWidth}, ${SIDEBAR_MAX_REM}rem)`,
    list: `clamp(${LIST_MIN_REM}rem, ${listWidth}, calc(100% - var(--sidebar-col) - ${TICKET_MIN_REM}rem))`,
  };
}
