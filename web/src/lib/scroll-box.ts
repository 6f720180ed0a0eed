/**
 * A scroll box (`.table-wrap`: a table wider or taller than the room it has, on a phone above all)
 * must be scrollable from the keyboard too (WCAG 2.1.1): while its content overflows it is a named
 * region in the tab order (arrow keys scroll it); when everything fits it is a plain box again.
 * The visible cue (shadows at the edges with more content) is the box's CSS (app.css).
 */
import type { Action } from 'svelte/action';

export const scrollBox: Action<HTMLElement, string> = (node, label) => {
  let name = label ?? '';
  const update = () => {
    const over = node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1;
    if (over) {
      node.tabIndex = 0;
      node.setAttribute('role', 'region');
      if (name) node.setAttribute('aria-label', name);
    } else {
      node.removeAttribute('tabindex');
      node.removeAttribute('role');
      node.removeAttribute('aria-label');
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(node);
  // The content grows and shrinks with its rows (a page of a list, a preview).
  const watch = () => {
    for (const child of node.children) observer.observe(child);
  };
  const children = new MutationObserver(() => {
    watch();
    update();
  });
  children.observe(node, { childList: true });
  watch();
  update();
  return {
    update(next: string) {
      name = next ?? '';
      update();
    },
    destroy() {
      observer.disconnect();
      children.disconnect();
    },
  };
};
