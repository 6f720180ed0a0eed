// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    /** What a history entry carries beside its URL (goto's `state`, read as page.state). */
    interface PageState {
      /** Record panels opened over a list by this entry and the ones before it (Back closes them). */
      records?: number;
    }
  }
}
export {};
