// The portal's calls: the public routes only, never a staff session's token. Errors carry
// the API's status, code and message (which names the field at fault).
export class PortalError extends Error {
  constructor (status, code, message, retryAfter) {
    super(message)
    this.status = status
    this.code = code
    this.retryAfter = retryAfter
  }
}

async function call (method, path, body) {
  const headers = {}
  let payload
  if (body instanceof Blob) {
    payload = body
    headers['Content-Type'] = body.type || 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }
  let res
  try {
    res = await fetch('/api/v1/public' + path, { method, headers, body: payload, credentials: 'omit' })
  } catch (e) {
    throw new PortalError(0, 'network', String(e.message || e))
  }
  const text = await res.text()
  let json = null
  try { json = text ? JSON.parse(text) : null } catch { json = null }
  if (!res.ok) {
    const e = json && json.error
    throw new PortalError(res.status, e ? e.code : 'http_' + res.status, e ? e.message : res.statusText,
      Number(res.headers.get('Retry-After')) || 0)
  }
  return json
}

export const loadTypes = () => call('GET', '/types')
export const submitAppeal = body => call('POST', '/appeals', body)
export const addPhoto = (code, file) => call('POST', `/appeals/${encodeURIComponent(code)}/photos`, file)
export const follow = code => call('GET', `/appeals/${encodeURIComponent(code)}`)
export const rate = (code, body) => call('POST', `/appeals/${encodeURIComponent(code)}/rating`, body)

// The codes this device filed, newest first, so a resident can come back to them. They stay
// on the phone; the server never links them to anyone.
const KEY = 'wg-portal-codes'
export function myCodes () {
  try { return JSON.parse(localStorage.getItem(KEY) || '[]') } catch { return [] }
}
export function rememberCode (code, at, type) {
  const list = myCodes().filter(c => c.code !== code)
  list.unshift({ code, at, type })
  localStorage.setItem(KEY, JSON.stringify(list.slice(0, 20)))
}
