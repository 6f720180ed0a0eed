import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

// V8 compiles functions lazily, on the main thread, when first called: ECharts' first chart spent
// 100–150 ms there. This magic comment (Chrome ≥ 136) has V8 compile the ECharts chunk eagerly,
// off the main thread, while it downloads (first chart 60–80 ms; see docs/dashboard.md).
const compileHints: Plugin = {
  name: 'compile-hints',
  apply: 'build',
  enforce: 'post',
  generateBundle(_, bundle) {
    for (const c of Object.values(bundle)) {
      if (c.type === 'chunk' && c.moduleIds.some((id) => /node_modules\/(echarts|zrender)\//.test(id))) {
        c.code = '//# allFunctionsCalledOnLoad\n' + c.code;
      }
    }
  },
};

export default defineConfig({
  plugins: [sveltekit(), compileHints],
  build: { reportCompressedSize: false, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
