// The console's and the portal's words are complete: every row of the i18n tables has its
// Chinese and its English (with the same {placeholders}), and every key the sources under
// web/src ask for — t('key'), te('kind', 'value'), and the prefix of t('prefix.' + x) —
// is in the table of the side that asks (web/src/portal/ reads the portal's, the rest the
// console's). Prints "i18n: N passed, N failed". `node tests/i18n/check.mjs`.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SRC = join(ROOT, 'web', 'src')
let passed = 0
const failures = []
const check = (ok, what) => { if (ok) passed++; else failures.push(what) }

// A table's object literal (const NAME = { … }) read as data: the tables hold only string
// arrays and nested objects, so the literal is evaluated alone.
function table (file, name) {
  const text = readFileSync(file, 'utf8')
  const start = text.indexOf(`const ${name} = {`)
  if (start < 0) throw new Error(`${file}: no table ${name}`)
  let depth = 0
  let i = text.indexOf('{', start)
  const from = i
  let quote = ''
  for (; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = ''
    } else if (c === "'" || c === '"' || c === '`') quote = c
    else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i)
    else if (c === '{') depth++
    else if (c === '}' && --depth === 0) break
  }
  return Function('"use strict"; return (' + text.slice(from, i + 1) + ')')()
}

const holes = s => [...s.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort().join(',')

function rows (label, t) {
  for (const [key, row] of Object.entries(t)) {
    const ok = Array.isArray(row) && row.length === 2 && row.every(s => typeof s === 'string' && s.length > 0)
    check(ok, `${label} '${key}' lacks its Chinese or its English: ${JSON.stringify(row)}`)
    if (ok) check(holes(row[0]) === holes(row[1]), `${label} '${key}': the two languages fill different {placeholders}: ${JSON.stringify(row)}`)
  }
}

function files (dir) {
  return readdirSync(dir).flatMap(f => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|js)$/.test(f) ? [p] : []
  })
}

function uses (file, T, E, label) {
  const text = readFileSync(file, 'utf8')
  const name = file.slice(ROOT.length + 1)
  for (const m of text.matchAll(/(?<![\w.])t\(\s*(['"])([^'"]+)\1\s*([,)+])/g)) {
    const key = m[2]
    if (m[3] === '+') check(Object.keys(T).some(k => k.startsWith(key)), `${name}: t('${key}' + …) matches no key of the ${label} table`)
    else check(key in T, `${name}: t('${key}') is not in the ${label} table`)
  }
  for (const m of text.matchAll(/(?<![\w.])te\(\s*(['"])([^'"]+)\1\s*,\s*(?:(['"])([^'"]+)\3)?/g)) {
    const [, , kind, , value] = m
    check(kind in E, `${name}: te('${kind}', …) names no kind of the ${label} table`)
    if (value && kind in E) check(value in E[kind], `${name}: te('${kind}', '${value}') is not in the ${label} table`)
  }
}

const consoleFile = join(SRC, 'lib', 'i18n.js')
const portalFile = join(SRC, 'portal', 'i18n.js')
const C = { T: table(consoleFile, 'T'), E: table(consoleFile, 'ENUMS') }
const P = { T: table(portalFile, 'T'), E: table(portalFile, 'ENUMS') }
rows('console', C.T)
for (const [kind, vals] of Object.entries(C.E)) rows(`console ${kind}`, vals)
rows('portal', P.T)
for (const [kind, vals] of Object.entries(P.E)) rows(`portal ${kind}`, vals)
for (const f of files(SRC)) {
  if (f === consoleFile || f === portalFile) continue
  const portal = f.startsWith(join(SRC, 'portal') + '/')
  uses(f, portal ? P.T : C.T, portal ? P.E : C.E, portal ? 'portal' : 'console')
}
for (const f of failures) console.log('FAIL ' + f)
console.log(`i18n: ${passed} passed, ${failures.length} failed`)
process.exit(failures.length ? 1 : 0)
