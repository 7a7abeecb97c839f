// The outbox as the page holds it: the ops that have not finished (from
// Outbox and outbox:changed), the agent's actions on them, and the reply
// just sent or the macro just applied, which the undo bar follows. A
// recorded op stays until the reload of its ticket shows what it did
// (forgetDone), so its pending entry never vanishes before the real note
// appears.

import { SvelteMap } from 'svelte/reactivity';
import { ticketKey, type Decision, type OutboxOp, type TicketKey } from '../api/types';
import { message } from './errors';
import { isFinished, marks, needsAgent, type PendingMark } from './pending';
import { parseTime } from './time';

/** The Go side calls this store needs. */
export interface OutboxApi {
  outbox(withDone: boolean): Promise<OutboxOp[]>;
  undo(opId: string): Promise<void>;
  decide(opId: string, decision: Decision): Promise<void>;
}

/** The reply or note the agent just sent, or the macro just applied: the undo bar's subject. */
export interface Watched {
  /** The reply or note; a macro's first op. */
  op: OutboxOp;
  /** Undone by the agent (a macro: every one of its ops); a reply's text went back to the draft. */
  undone: boolean;
  /** The macro's name; "" when the bar follows one reply or note. */
  macro: string;
  /** Every op followed, as last heard, in the order they leave ([op] for a reply). */
  ops: OutboxOp[];
  /** The ids of those undone. */
  undoneIds: string[];
}

/** A Watched with ops put in place of the ones of the same id, those of gone ids marked undone. */
function moved(w: Watched, ops: OutboxOp[], gone: readonly string[]): Watched {
  const undoneIds = [...new Set([...w.undoneIds, ...gone.filter((id) => w.ops.some((o) => o.id === id))])];
  return { ...w, op: ops[0] ?? w.op, ops, undoneIds, undone: undoneIds.length === w.ops.length };
}

/** An answer older than what the page has is dropped (equal times: the later arrival wins). */
function newer(incoming: OutboxOp, held: OutboxOp): boolean {
  const a = parseTime(incoming.updated_at);
  const b = parseTime(held.updated_at);
  return a === null || b === null || a >= b;
}

export class OutboxStore {
  /** In queue order; recorded ones until forgotten. */
  ops = $state.raw<OutboxOp[]>([]);
  loaded = $state(false);
  /** The sentence of the last failed load; "" when it worked. */
  error = $state('');
  watched = $state.raw<Watched | null>(null);

  readonly #api: OutboxApi;
  /** Ops that are gone: a late answer must not bring them back. */
  readonly #gone = new Set<string>();
  /** The action under way per op id. */
  readonly #busy = new SvelteMap<string, string>();
  readonly #errors = new SvelteMap<string, string>();
  #seq = 0;

  constructor(api: OutboxApi) {
    this.#api = api;
  }

  /** The ops still waiting or stopped. */
  get unfinished(): OutboxOp[] {
    return this.ops.filter((op) => !isFinished(op));
  }

  get count(): number {
    return this.unfinished.length;
  }

  /** How many ops need the agent (failed, conflict, delivery unknown). */
  get problems(): number {
    return this.ops.filter(needsAgent).length;
  }

  /** The tickets with unfinished ops, for the list's marks. */
  get marks(): Map<TicketKey, PendingMark> {
    return marks(this.ops);
  }

  /** The ops of one ticket, recorded ones not yet forgotten included. */
  of(key: TicketKey | null): OutboxOp[] {
    return key === null ? [] : this.ops.filter((op) => ticketKey(op) === key);
  }

  /** load fetches the unfinished ops; recorded ones the page still shows are kept. */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    try {
      const fresh = (await this.#api.outbox(false)).filter((op) => !this.#gone.has(op.id));
      if (seq !== this.#seq) return;
      const ids = new Set(fresh.map((op) => op.id));
      const kept = this.ops.filter((op) => op.state === 'recorded' && !ids.has(op.id));
      this.ops = [...fresh.map((op) => this.#held(op) ?? op), ...kept];
      this.loaded = true;
      this.error = '';
    } catch (err) {
      if (seq !== this.#seq) return;
      this.error = message(err);
    }
  }

  /** The op the page holds under incoming's id when it is newer than incoming. */
  #held(incoming: OutboxOp): OutboxOp | null {
    const held = this.ops.find((op) => op.id === incoming.id);
    return held && !newer(incoming, held) ? held : null;
  }

  /** apply takes ops that moved (outbox:changed, or what Reply and Triage returned). */
  apply(changed: readonly OutboxOp[]): void {
    if (changed.length === 0) return;
    let ops = this.ops;
    for (const op of changed) {
      const w = this.watched;
      const at = w ? w.ops.findIndex((o) => o.id === op.id) : -1;
      if (w && at >= 0 && !w.undoneIds.includes(op.id)) {
        if (op.state === 'undone') this.watched = moved(w, w.ops, [op.id]);
        else if (newer(op, w.ops[at]!)) this.watched = moved(w, w.ops.map((o, j) => (j === at ? op : o)), []);
      }
      if (op.state === 'undone') {
        this.#gone.add(op.id);
        ops = ops.filter((o) => o.id !== op.id);
        continue;
      }
      if (this.#gone.has(op.id)) continue;
      const i = ops.findIndex((o) => o.id === op.id);
      if (i < 0) ops = [...ops, op];
      else if (newer(op, ops[i]!)) ops = ops.map((o, j) => (j === i ? op : o));
    }
    this.ops = ops;
  }

  /** forgetDone drops recorded ops (those of ids, or all) once their tickets were reloaded. */
  forgetDone(ids?: ReadonlySet<string>): void {
    const drop = (op: OutboxOp) => op.state === 'recorded' && (!ids || ids.has(op.id));
    if (this.ops.some(drop)) this.ops = this.ops.filter((op) => !drop(op));
  }

  /** The ids of the recorded ops held now. */
  doneIds(): Set<string> {
    return new Set(this.ops.filter((op) => op.state === 'recorded').map((op) => op.id));
  }

  /** watch makes op the undo bar's subject. */
  watch(op: OutboxOp): void {
    this.watched = { op, undone: false, macro: '', ops: [op], undoneIds: [] };
  }

  /** watchMacro makes a macro's ops (in the order they leave) the undo bar's subject, together. */
  watchMacro(name: string, ops: readonly OutboxOp[]): void {
    const first = ops[0];
    if (!first) return;
    // An op the events already moved is followed as the page holds it.
    const held = ops.map((op) => this.ops.find((o) => o.id === op.id && newer(o, op)) ?? op);
    const gone = ops.filter((op) => this.#gone.has(op.id)).map((op) => op.id);
    this.watched = moved({ op: first, undone: false, macro: name, ops: held, undoneIds: [] }, held, gone);
  }

  dismiss(): void {
    this.watched = null;
  }

  /** The action under way on an op ("undo", "retry", …); "" when none. */
  busy(id: string): string {
    return this.#busy.get(id) ?? '';
  }

  /** The sentence of the last failed action on an op; "" when none. */
  actionError(id: string): string {
    return this.#errors.get(id) ?? '';
  }

  #remove(id: string): void {
    this.#gone.add(id);
    this.ops = this.ops.filter((o) => o.id !== id);
    const w = this.watched;
    if (w?.ops.some((o) => o.id === id)) this.watched = moved(w, w.ops, [id]);
  }

  /** undo takes back an op that has not left; false (with actionError) when it could not. */
  undo(id: string): Promise<boolean> {
    return this.#act(id, 'undo', () => this.#api.undo(id), true);
  }

  /** decide applies the agent's decision; discard and edit take the op away. */
  decide(id: string, decision: Decision): Promise<boolean> {
    return this.#act(id, decision, () => this.#api.decide(id, decision), decision === 'discard' || decision === 'edit');
  }

  async #act(id: string, action: string, run: () => Promise<void>, removes: boolean): Promise<boolean> {
    if (this.#busy.has(id)) return false;
    this.#busy.set(id, action);
    this.#errors.delete(id);
    try {
      await run();
      if (removes) this.#remove(id);
      return true;
    } catch (err) {
      this.#errors.set(id, message(err));
      return false;
    } finally {
      this.#busy.delete(id);
    }
  }
}
