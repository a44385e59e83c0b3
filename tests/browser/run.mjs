// The console's browser tests: the real wangge binary with a fresh data directory, driven
// in Chromium. Prints "browser: N passed, N failed"; screenshots of every page go to
// build/artifacts/screenshots/. `node tests/browser/run.mjs [NAME_FILTER]`.
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, SHOTS, Server, launch, shot, assert } from './harness.mjs'
import { tests } from './tests.mjs'

const filter = process.argv[2] || ''
if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
  console.error('browser: the console is not built (make web)')
  console.log('browser: 0 passed, 1 failed')
  process.exit(1)
}

// a failure's screenshot stays only until the next run
if (existsSync(SHOTS)) for (const f of readdirSync(SHOTS)) if (f.startsWith('FAILED-')) rmSync(join(SHOTS, f))

const srv = new Server()
let browser
let passed = 0
let failed = 0
try {
  await srv.start()
  browser = await launch()
  for (const [name, fn] of tests) {
    if (filter && !name.includes(filter)) continue
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', e => errors.push(String(e)))
    const t0 = Date.now()
    try {
      await fn({ page, context, browser, srv, base: srv.base, shot: n => shot(page, n), assert })
      assert(!errors.length, 'no script errors on the page: ' + errors.join('; '))
      passed++
      console.log(`ok   ${name} (${Date.now() - t0} ms)`)
    } catch (e) {
      failed++
      console.log(`FAIL ${name}: ${e.stack || e}`)
      if (srv.proc.exitCode !== null || srv.proc.signalCode) console.log(`the server stopped (${srv.proc.exitCode ?? srv.proc.signalCode}); its log:\n${srv.log}`)
      try { await shot(page, 'FAILED-' + name) } catch { /* the page may be gone */ }
    } finally {
      await context.close()
    }
  }
} catch (e) {
  failed++
  console.log('FAIL set-up: ' + (e.stack || e))
} finally {
  if (browser) await browser.close()
  await srv.stop()
}
console.log(`browser: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
