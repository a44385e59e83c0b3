// What the console and the residents' portal share about words and time: the language chosen
// (Chinese first, English on request; one key, so a browser speaks one language in both),
// translators over each one's own [中文, English] tables, and times as China Standard Time
// whatever the device's zone. Vue only: the portal loads no UI library.
import { reactive } from 'vue'

export const i18n = reactive({ lang: localStorage.getItem('wg-lang') === 'en' ? 'en' : 'zh' })

export function setLang (lang) {
  i18n.lang = lang
  localStorage.setItem('wg-lang', lang)
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
}

// t(key, vars) over a table of rows, te(kind, value, vars) over a table of API values; an
// unknown key answers itself, an unknown value the value; {name} is replaced from vars.
export function translator (rows, enums) {
  const pick = row => row[i18n.lang === 'zh' ? 0 : 1]
  const fill = (s, vars) => {
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replace('{' + k + '}', v)
    return s
  }
  return {
    t: (key, vars) => fill(rows[key] ? pick(rows[key]) : key, vars),
    te: (kind, value, vars) => {
      const row = enums[kind] && enums[kind][value]
      return fill(row ? pick(row) : (value ?? ''), vars)
    }
  }
}

// A moment as China Standard Time's wall clock, to be read with the UTC getters (UTC+8 all
// year: China keeps no summer time).
export function chinaClock (d) {
  return new Date(d.getTime() + 8 * 3600 * 1000)
}

// 2026-11-24 08:30 in China Standard Time; what is not a time is answered as it came
export function fmtTime (iso) {
  const d = new Date(iso)
  if (!iso || isNaN(d)) return iso || ''
  const c = chinaClock(d)
  const p = n => String(n).padStart(2, '0')
  return `${c.getUTCFullYear()}-${p(c.getUTCMonth() + 1)}-${p(c.getUTCDate())} ${p(c.getUTCHours())}:${p(c.getUTCMinutes())}`
}
