/**
 * ECharts with only what the dashboard draws (tree-shaken through echarts/core): less code to
 * download, compile and run before the first chart. Add a chart or component here when a page
 * needs it (no title, data zoom or piecewise visual map today). Loaded by dynamic import from
 * the chart action, so pages without charts never download it.
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);

export { echarts };
