// The reply templates: the agent's own and the team's shared ones (read
// from each project's repository, read-only here), the variables a template
// may use (all from the Go side, which checks a template when it is saved or
// read), and the picker's rules: where a trigger (/ or ::) is typed, which
// templates match what follows it, and what the text becomes once one is
// picked. A template's body goes into the reply as it is; the Go side fills
// in its {{variables}} when the reply is queued.

import type { Project, Template } from '../api/types';
import { message } from './errors';

/** The folder of a project's repository that holds the team's templates, one Markdown file each. */
export const TEAM_TEMPLATES_DIR = '.gitlab/service_desk_desktop/templates/';

/** True for a team template: it comes from a repository and is changed there, not here. */
export function isShared(t: Template): boolean {
  return t.path !== '';
}

/**
 * templateKey names a template uniquely in a list: shared ones all have id 0,
 * and two projects may hold the same path.
 */
export function templateKey(t: Template): string {
  return isShared(t) ? `team:${t.project_id}:${t.path}` : `own:${t.id}`;
}

/** The Go side calls this store needs. */
export interface TemplatesApi {
  templates(): Promise<Template[]>;
  saveTemplate(t: Template): Promise<Template>;
  deleteTemplate(id: number): Promise<void>;
  templateVariables(): Promise<string[]>;
}

/** A trigger typed in the composer: the text from start to end is replaced by what is picked. */
export interface Trigger {
  /** Where the trigger (/ or ::) begins. */
  start: number;
  /** The caret: the end of the text typed after the trigger. */
  end: number;
  /** What was typed after the trigger. */
  query: string;
}

/** Longest text after a trigger that still counts as a filter. */
const MAX_QUERY = 40;

// "/" opens only at the start of a line; "::" anywhere a word could start
// (so "std::vector" does not). What follows must not begin with a space.
const SLASH = new RegExp(`(?:^|\\n)(\\/)([^\\s/][^\\n]{0,${MAX_QUERY - 1}})?$`);
const COLONS = new RegExp(`(?:^|\\s)(::)([^\\s:][^\\n]{0,${MAX_QUERY - 1}})?$`);

/** findTrigger gives the trigger the caret is in, or null. */
export function findTrigger(text: string, caret: number): Trigger | null {
  const before = text.slice(0, caret);
  const m = SLASH.exec(before) ?? COLONS.exec(before);
  if (!m) return null;
  const query = m[2] ?? '';
  const mark = m[1] ?? '';
  return { start: caret - query.length - mark.length, end: caret, query };
}

/** The variables a template's body uses, each once, in order. */
export function usedVariables(body: string): string[] {
  const names = [...body.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => n !== ''))];
}

/**
 * filterTemplates gives the templates whose name contains the query (those
 * it starts first), then those whose body does; case does not matter. An
 * empty query gives them all by name. In each group the ones that can be
 * used come first (so Enter on the first one inserts it), and of two with
 * one name the agent's own comes before the team's.
 */
export function filterTemplates(list: readonly Template[], query: string): Template[] {
  const broken = (t: Template) => Number(t.problem !== '');
  const byName = (a: Template, b: Template) =>
    broken(a) - broken(b) ||
    a.name.localeCompare(b.name) ||
    Number(isShared(a)) - Number(isShared(b)) ||
    a.project_id - b.project_id;
  const q = query.trim().toLowerCase();
  if (q === '') return [...list].sort(byName);
  const starts: Template[] = [];
  const names: Template[] = [];
  const bodies: Template[] = [];
  for (const t of list) {
    const name = t.name.toLowerCase();
    if (name.startsWith(q)) starts.push(t);
    else if (name.includes(q)) names.push(t);
    else if (t.body.toLowerCase().includes(q)) bodies.push(t);
  }
  return [...starts.sort(byName), ...names.sort(byName), ...bodies.sort(byName)];
}

/** replaceRange puts insert in place of text[start, end) and gives the new text and caret. */
export function replaceRange(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

/** The element id of a picker's option i. */
export function optionId(listId: string, i: number): string {
  return `${listId}-opt-${i}`;
}

export class TemplatesStore {
  list = $state.raw<Template[]>([]);
  variables = $state.raw<string[]>([]);
  loaded = $state(false);
  loading = $state(false);
  loadError = $state('');

  readonly #api: TemplatesApi;
  readonly #projects: () => readonly Project[];

  /** projects gives the projects of the account, to name the one a team template comes from. */
  constructor(api: TemplatesApi, projects: () => readonly Project[] = () => []) {
    this.#api = api;
    this.#projects = projects;
  }

  /**
   * projectName names the project a team template comes from when the
   * account has several (with one, "Team" says it all); "" otherwise.
   */
  projectName(t: Template): string {
    const projects = this.#projects();
    if (!isShared(t) || projects.length < 2) return '';
    return projects.find((p) => p.id === t.project_id)?.name ?? '';
  }

  /** load fetches the templates and variables the first time (again with force). */
  async load(force = false): Promise<void> {
    if (this.loading || (this.loaded && !force)) return;
    this.loading = true;
    try {
      const [list, variables] = await Promise.all([this.#api.templates(), this.#api.templateVariables()]);
      this.list = list;
      this.variables = variables;
      this.loaded = true;
      this.loadError = '';
    } catch (err) {
      this.loadError = `Couldn't load the templates: ${message(err)}`;
    } finally {
      this.loading = false;
    }
  }

  /** save adds or changes a template; it gives "" or the Go side's sentence. */
  async save(t: Template): Promise<string> {
    try {
      const saved = await this.#api.saveTemplate(t);
      const rest = this.list.filter((x) => templateKey(x) !== templateKey(saved));
      this.list = [...rest, saved];
      return '';
    } catch (err) {
      return message(err);
    }
  }

  /** remove deletes one of the agent's templates; it gives "" or the sentence of the failure. */
  async remove(id: number): Promise<string> {
    try {
      await this.#api.deleteTemplate(id);
      this.list = this.list.filter((t) => isShared(t) || t.id !== id);
      return '';
    } catch (err) {
      return `Couldn't delete the template: ${message(err)}`;
    }
  }
}
