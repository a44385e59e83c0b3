// The HTTP core the console (api.js) and the residents' portal (portal/api.js) share: a body
// sent as JSON or as raw bytes, an answer read as JSON, and every failure an ApiError
// carrying the API's status, code and message (which names the field at fault) and, when
// the server asks to wait, its Retry-After in seconds. No UI here: the portal loads none.
export class ApiError extends Error {
  constructor (status, code, message, retryAfter = 0) {
    super(message)
    this.status = status
    this.code = code
    this.retryAfter = retryAfter
  }
}

// Sends a request: a Blob or ArrayBuffer as it is, anything else (but undefined and null) as
// JSON. A request that reaches no server is an ApiError of status 0.
export async function send (method, path, body, headers = {}, init = {}) {
  let payload
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    payload = body
    headers['Content-Type'] = body.type || 'application/octet-stream'
  } else if (body !== undefined && body !== null) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }
  try {
    return await fetch(path, { ...init, method, headers, body: payload })
  } catch (e) {
    throw new ApiError(0, 'network', String(e.message || e))
  }
}

// The JSON of an answer (null when it has none), or its failure as an ApiError.
export async function answer (res) {
  const text = await res.text()
  let json = null
  try { json = text ? JSON.parse(text) : null } catch { json = null }
  if (!res.ok) {
    const e = json && json.error
    throw new ApiError(res.status, e ? e.code : 'http_' + res.status, e ? e.message : res.statusText,
      Number(res.headers.get('Retry-After')) || 0)
  }
  return json
}
