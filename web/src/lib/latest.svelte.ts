/**
 * One piece of a page's data, asked for again whenever the page's inputs change (month, team,
 * filters). Only the newest request's outcome is kept: an answer that arrives after a newer
 * request went out (quick changes of the month) is dropped. The last data stays while the next
 * request runs (`loading`), so a page can dim it rather than blank it.
 */
export class Latest<T> {
  data = $state.raw<T | null>(null);
  error = $state<unknown>(null);
  loading = $state(false);
  #seq = 0;

  async load(request: () => Promise<T>): Promise<void> {
    const seq = ++this.#seq;
    this.loading = true;
    this.error = null;
    try {
      const d = await request();
      if (seq === this.#seq) this.data = d;
    } catch (e) {
      if (seq === this.#seq) this.error = e;
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }
}
