/**
 * The one owner of an ECharts instance's life (after Evidence's chart action): init on mount,
 * resize through a ResizeObserver, theme switch in place, click events out, dispose on destroy.
 *
 *   <div use:chart={{ option, theme, onclick }}></div>
 */
import type { EChartsType } from 'echarts/core';
import type { Theme } from '../theme.svelte';

/** An ECharts option object (kept loose: each chart builds its own). */
export type ChartOption = Record<string, unknown>;

/** What a click on a data item reports (ECharts' event, the fields we use). */
export interface ChartClick {
  componentType: string;
  seriesName?: string;
  seriesIndex?: number;
  name: string;
  dataIndex: number;
  data: unknown;
  value: unknown;
}

export interface ChartParams {
  option: ChartOption;
  theme: Theme;
  onclick?: (e: ChartClick) => void;
  /** Receives the instance once it exists (for PNG export), and null when it is disposed. */
  onready?: (instance: EChartsType | null) => void;
}

type Lib = typeof import('./echarts');
let lib: Lib | null = null;
let loading: Promise<Lib> | null = null;

/**
 * ECharts' code, loaded once, on demand: pages without charts never download it. A page that
 * draws charts calls this early (Chart.svelte does on import) so that it loads alongside the data.
 */
export function loadECharts(): Promise<Lib> {
  loading ??= import('./echarts').then((m) => (lib = m));
  return loading;
}

export function chart(node: HTMLElement, params: ChartParams) {
  let current = params;
  let instance: EChartsType | null = null;
  let theme = params.theme;
  let destroyed = false;
  let observer: ResizeObserver | null = null;

  function start({ echarts }: Lib) {
    instance = echarts.init(node, theme, { renderer: 'canvas' });
    // Drawn at once, without the entry animation: the chart is readable and clickable when it
    // appears, and the page's other charts are not slowed by animation frames (changes animate).
    instance.setOption({ ...withDefaults(current.option), animation: false }, { notMerge: true });
    instance.on('click', (e) => current.onclick?.(e as unknown as ChartClick));
    // The observer also reports the size it starts with: resize (a full redraw) only on a change.
    let size = `${node.clientWidth}x${node.clientHeight}`;
    observer = new ResizeObserver(() => {
      const now = `${node.clientWidth}x${node.clientHeight}`;
      if (now === size) return;
      size = now;
      instance?.resize();
    });
    observer.observe(node);
    // Browser tests reach the instance to find a data point's pixel (convertToPixel) and click it.
    (node as HTMLElement & { __chart?: EChartsType }).__chart = instance;
    current.onready?.(instance);
  }
  // Once the code is there, draw at mount: no wait for a promise callback behind other work.
  if (lib) start(lib);
  else
    void loadECharts().then((l) => {
      if (!destroyed) start(l);
    });

  return {
    update(next: ChartParams) {
      const optionChanged = next.option !== current.option;
      current = next;
      if (!instance) return;
      if (next.theme !== theme) {
        theme = next.theme;
        instance.setTheme(theme);
      }
      if (optionChanged) instance.setOption(withDefaults(next.option), { notMerge: true });
    },
    destroy() {
      destroyed = true;
      observer?.disconnect();
      current.onready?.(null);
      instance?.dispose();
      instance = null;
    },
  };
}

/** The page's own background shows through; animation stays short so clicks land at once. */
function withDefaults(option: ChartOption): ChartOption {
  return { backgroundColor: 'transparent', animationDuration: 300, ...option };
}
