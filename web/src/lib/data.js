// Lists the pages share, read once per session: the console's settings, the catalog,
// the handling units; and names for codes.
import { session } from './session'
import { get, pool, qs, reportFailures } from './api'

let configPromise = null
export function loadConfig () {
  if (session.config) return Promise.resolve(session.config)
  if (!configPromise) {
    configPromise = get('/api/v1/console-config').then(c => { session.config = c; return c })
      .catch(e => { configPromise = null; throw e })
  }
  return configPromise
}

// The catalog in force: GET /api/v1/catalog for map readers, else the console settings' copy
export async function loadCatalog (fresh = false) {
  if (session.catalog && !fresh) return session.catalog
  try {
    const r = await get('/api/v1/catalog')
    session.catalog = r.catalog.items
    session.catalogVersion = r.version
  } catch {
    const c = await loadConfig()
    session.catalog = c.catalog || []
  }
  return session.catalog
}

export async function loadUnits () {
  if (session.units) return session.units
  const r = await get('/api/v1/units')
  session.units = r.units || []
  return session.units
}

// The catalog and the units the order pages name things by, read together; a failure is
// told, the names then show as codes, and the page goes on. Answers {catalog, units}, each
// [] when it could not be read.
export async function loadNames () {
  const [c, u] = await Promise.allSettled([loadCatalog(), loadUnits()])
  reportFailures([c.reason, u.reason])
  return { catalog: c.value || [], units: u.value || [] }
}

export function itemName (code) {
  if (!code) return ''
  const it = (session.catalog || []).find(x => x.code === code)
  return it ? it.name : code
}

export function unitName (id) {
  if (!id) return ''
  const u = (session.units || []).find(x => x.id === id)
  return u ? u.name : id
}

// The catalog as a tree, each item under its parent: by default the nodes el-tree-select
// takes, [{value, label, children}]; node(item) makes others (Admin's table: the item
// itself). A leaf has no children key.
export function catalogTree (items, node = it => ({ value: it.code, label: `${it.code} ${it.name}` })) {
  const byCode = new Map()
  const roots = []
  for (const it of items) byCode.set(it.code, { ...node(it), children: [] })
  for (const it of items) {
    const n = byCode.get(it.code)
    const parent = it.parent && byCode.get(it.parent)
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  for (const n of byCode.values()) if (!n.children.length) delete n.children
  return roots
}

// One read per key for the session: the answer's promise is kept, and dropped when it fails
// so that the next call tries again.
function once (cache, key, read) {
  if (!cache.has(key)) cache.set(key, read().catch(e => { cache.delete(key); throw e }))
  return cache.get(key)
}

const regionCache = new Map()
const geoCache = new Map()
export const region = code => once(regionCache, code, () => get('/api/v1/regions/' + code))

// The county a region or grid code lies in, by the map API: the regions API answers a
// region's ancestors with their levels; a grid code it refuses (400, pointing to the grids
// API), and a grid names its village.
export async function countyOf (code) {
  let r
  try {
    r = await region(code)
  } catch (e) {
    if (e.status !== 400) throw e
    r = await region((await get('/api/v1/grids/' + code)).village)
  }
  return [...(r.ancestors || []), r].find(a => a.level === 'county')?.code || ''
}

export const gridsGeojson = code => once(geoCache, code, () => get('/api/v1/regions/' + code + '/grids.geojson'))

// Every open state, for "open orders" filters
export const OPEN_STATES = ['received', 'dispatched', 'signed', 'replied', 'verified', 'returning', 'suspended']

// The region code of the caller's scope; '' for the whole platform or a unit's account
export function homeRegion () {
  const s = session.me?.scope
  if (s && s.kind === 'region' && s.code) return s.code
  return ''
}

// Suggestions before an order exists, as the server makes them (the console keeps no copy of
// its rules): the items a text points at, best first, and the routing of an item at a place
// (a grid or region code; '' for none) in the answer GET /api/v1/orders/{id}/route gives.
// Only the beginning of a long text is sent: it is what classifies it, and it travels in
// the URL.
export async function suggestItems (text, limit = 3) {
  return (await get('/api/v1/catalog/suggest' + qs({ text: text.slice(0, 1000), limit }))).items
}

export function matchRoute (item, region) {
  return get('/api/v1/routing-rules/match' + qs({ item, region }))
}

// Orders of a list with what only the detail has (light, unit, deadlines, allowed actions,
// the version to act on), read a few at a time. An order whose detail could not be read
// keeps what the list said and carries the failure as `error` (an ApiError), for the page
// to report (reportFailures) rather than show the order as if it had nothing to act on.
export async function withDetails (orders) {
  const details = await pool(orders, 8, o => get('/api/v1/orders/' + o.id))
  return orders.map((o, i) => details[i].status === 'fulfilled'
    ? { ...o, ...details[i].value }
    : { ...o, error: details[i].reason })
}

// Orders in any of several states (the list filters one state at a time), newest first
export async function ordersIn (states, params = {}, limit = 200) {
  const lists = await Promise.all(states.map(s => get('/api/v1/orders' + qs({ ...params, state: s, limit })).then(r => r.orders)))
  return lists.flat().sort((a, b) => b.id - a.id)
}
