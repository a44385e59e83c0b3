// The console's build: Vue single-file components, Element Plus imported on demand, a
// multi-page layout (index.html is the console; m/index.html, when present, the residents'
// portal), and a .gz beside every text file so that wangge can send it precompressed.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync, constants } from 'node:zlib'

const root = new URL('.', import.meta.url).pathname
const inputs = { main: resolve(root, 'index.html') }
if (existsSync(resolve(root, 'm/index.html'))) inputs.m = resolve(root, 'm/index.html')

function walk (dir) {
  return readdirSync(dir).flatMap(n => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })
}

// Writes name.gz beside each compressible file of the build (when it is smaller).
function precompress () {
  let outDir
  return {
    name: 'wangge-precompress',
    apply: 'build',
    configResolved (c) { outDir = resolve(c.root, c.build.outDir) },
    closeBundle () {
      for (const f of walk(outDir)) {
        if (!/\.(js|mjs|css|html|svg|json|txt|map)$/.test(f)) continue
        const raw = readFileSync(f)
        const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION })
        if (gz.length < raw.length) writeFileSync(f + '.gz', gz)
      }
    }
  }
}

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
    precompress()
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: inputs,
      output: {
        // the big libraries in chunks of their own, so a console update keeps them cached;
        // Element Plus is left to split by page, so the login page loads only what it uses
        manualChunks (id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/leaflet')) return 'leaflet'
          if (/node_modules\/(@vue|vue|vue-router)\//.test(id)) return 'vue'
        }
      }
    }
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' }
  }
})
