// "Try the demo" on the first-run panel.

import { message } from './errors';

/** The Go side call this store needs. */
export interface DemoApi {
  tryDemo(): Promise<void>;
}

export class DemoStore {
  /** From the click until the window shows the demo's data. */
  starting = $state(false);
  /** The sentence TryDemo was rejected with. */
  error = $state('');

  readonly #api: DemoApi;
  readonly #after: () => Promise<void>;

  /** after runs once the switch worked, to load the demo's data. */
  constructor(api: DemoApi, after: () => Promise<void> = async () => {}) {
    this.#api = api;
    this.#after = after;
  }

  async start(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    this.error = '';
    try {
      await this.#api.tryDemo();
      await this.#after();
    } catch (err) {
      this.error = message(err);
    } finally {
      this.starting = false;
    }
  }
}
