// What the grid worker's phone records without signal: each visit, patrol start, batch of
// track points and patrol stop is kept on the phone (IndexedDB, photos as they are) under a
// key the phone makes once, and sent, oldest first, as soon as there is signal again — on
// the browser's "online", on every recording and every 20 seconds. The server takes a key
// it has seen as the record it made (the visit's or the patrol's client_key, the batch's
// key), so a record sent twice, or whose answer was lost, is recorded once.
import { reactive } from 'vue'
import { api } from './api'

const DB = 'wangge-outbox'
const STORE = 'items'
const PATROLS = 'wg.patrols' // a patrol's client key → its id, once the server made it

export const outbox = reactive({ pending: 0, sending: false, failed: [], sent: 0 })

export function newKey () {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  return [...b].map(x => x.toString(16).padStart(2, '0')).join('')
}

let dbp = null
function db () {
  if (!dbp) {
    dbp = new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1)
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'key' })
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
  }
  return dbp
}

async function tx (mode, fn) {
  const d = await db()
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode)
    const out = fn(t.objectStore(STORE))
    t.oncomplete = () => resolve(out && 'result' in out ? out.result : undefined)
    t.onerror = () => reject(t.error)
  })
}

async function all () {
  const items = await tx('readonly', s => s.getAll())
  return (items || []).sort((a, b) => a.seq - b.seq)
}

let seq = 0
let dirty = false
// Keeps item {kind, path, body, patrol?, photos?} and tries to send it; returns its key.
export async function enqueue (item) {
  const key = item.key || newKey()
  await tx('readwrite', s => s.put({ ...item, key, seq: Date.now() * 1000 + (seq++ % 1000) }))
  await count()
  dirty = true
  flush()
  return key
}

async function count () {
  outbox.pending = (await all()).length
}

export function patrolId (clientKey) {
  const map = JSON.parse(localStorage.getItem(PATROLS) || '{}')
  return map[clientKey]
}

function rememberPatrol (clientKey, id) {
  const map = JSON.parse(localStorage.getItem(PATROLS) || '{}')
  map[clientKey] = id
  localStorage.setItem(PATROLS, JSON.stringify(map))
}

// One item sent: true when it is done with (recorded, or refused for good), false to stop
// and try again later (no signal, or the server busy).
async function sendOne (item) {
  let path = item.path
  if (item.patrol) {
    const id = patrolId(item.patrol)
    if (!id) return false // its start has not reached the server yet
    path = path.replace('{patrol}', id)
  }
  try {
    const out = await api('POST', path, item.body, { noLogout: true })
    if (item.kind === 'patrol-start' && out?.id) rememberPatrol(item.body.client_key, out.id)
    // the photos of a finding made an order go to the order (stored once by content)
    for (const p of item.photos || []) if (out?.order?.id) await api('POST', `/api/v1/orders/${out.order.id}/photos`, p, { noLogout: true })
    outbox.sent++
    return true
  } catch (e) {
    if (e.status === 0 || e.status === 401 || e.status >= 500 || e.status === 429) return false
    if (e.status !== 409) outbox.failed.push({ kind: item.kind, message: e.message }) // 409: done already
    return true
  }
}

let running = null
export function flush () {
  if (running) return running
  running = (async () => {
    outbox.sending = true
    dirty = false
    try {
      for (const item of await all()) {
        if (navigator.onLine === false) break
        if (!(await sendOne(item))) break
        await tx('readwrite', s => s.delete(item.key))
      }
    } finally {
      await count()
      outbox.sending = false
      running = null
      if (dirty && outbox.pending && navigator.onLine !== false) setTimeout(flush, 0) // kept meanwhile
    }
  })()
  return running
}

let started = false
export function startOutbox () {
  if (started) return
  started = true
  window.addEventListener('online', () => flush())
  setInterval(() => { if (outbox.pending) flush() }, 20000)
  count().then(() => flush())
}
