// The console's door to the wangge API: the session token, JSON in and out (http.js),
// If-Match for order actions, a logout when the session has ended, and errors as ApiError
// carrying the API's code and message.
import { ElMessage } from 'element-plus'
import { answer, send } from './http'
import { session, clearSession } from './session'
import { t, translateError } from './i18n'

export { ApiError } from './http'

let onUnauthorized = () => {}
export function setUnauthorizedHandler (fn) { onUnauthorized = fn }

export async function api (method, path, body, opts = {}) {
  const headers = { ...(opts.headers || {}) }
  if (session.token) headers.Authorization = 'Bearer ' + session.token
  if (opts.version) headers['If-Match'] = '"' + opts.version + '"'
  try {
    const res = await send(method, path, body, headers)
    if (opts.raw && res.ok) return res
    if (res.status === 401 && session.token && !opts.noLogout) {
      clearSession()
      onUnauthorized()
    }
    return await answer(res)
  } catch (e) {
    throw translateError(e) // in Chinese, the code's sentence (lib/i18n.js)
  }
}

export const get = (path, opts) => api('GET', path, undefined, opts)
export const post = (path, body, opts) => api('POST', path, body, opts)
export const put = (path, body, opts) => api('PUT', path, body, opts)
export const del = (path, opts) => api('DELETE', path, undefined, opts)

export function qs (params) {
  const u = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v)
  const s = u.toString()
  return s ? '?' + s : ''
}

// A photo through the API (it needs the token, so no plain <img src>): an object URL.
const photoCache = new Map()
export async function photoUrl (sha) {
  if (photoCache.has(sha)) return photoCache.get(sha)
  const res = await api('GET', '/api/v1/photos/' + sha, undefined, { raw: true })
  const url = URL.createObjectURL(await res.blob())
  photoCache.set(sha, url)
  return url
}

// Runs fn over items with at most n at once (detail reads for a page of orders). It settles
// as Promise.allSettled does, one {status: 'fulfilled', value} or {status: 'rejected',
// reason} per item in order: one failed read loses none of the others, and the caller sees
// which failed and why.
export async function pool (items, n, fn) {
  const out = new Array(items.length)
  let i = 0
  async function worker () {
    while (i < items.length) {
      const k = i++
      try {
        out[k] = { status: 'fulfilled', value: await fn(items[k], k) }
      } catch (e) {
        out[k] = { status: 'rejected', reason: e }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
  return out
}

// A read the page can do without (a map's background, a label): on failure the API's message
// is shown and the fallback stands in, so the page goes on and the person knows why
// something is missing.
export async function tolerate (promise, fallback) {
  try {
    return await promise
  } catch (e) {
    ElMessage.error(e.message)
    return fallback
  }
}

// Tells the person at the screen that some requests of a batch failed: how many, and the
// API's message of the first (the others are most often the same). errors may hold
// undefined for the requests that succeeded. Returns how many failed.
export function reportFailures (errors) {
  const failed = errors.filter(Boolean)
  if (failed.length) ElMessage.error(t('err.failed', { n: failed.length }) + failed[0].message)
  return failed.length
}
