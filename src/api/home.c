/* GET /: a small Chinese-first landing page for the demo until the console arrives — what
 * the server holds, and a form that locates a point through the API. No outside assets. */
#include "api/app.h"
#include "api/handlers.h"

static const char page[] =
    "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>网格 wangge</title><style>body{font-family:sans-serif;max-width:46em;margin:2em auto;"
    "padding:0 1em;color:#222}code,pre{background:#f4f4f4;padding:.1em .3em}"
    "input{width:9em}pre{padding:1em;overflow:auto}</style></head><body>"
    "<h1>网格 wangge</h1><p>网格化基层社会治理平台 · grid-based grassroots governance</p>"
    "<p id=\"health\">…</p>"
    "<h2>登录 Log in</h2><form id=\"login\">用户名 <input name=\"username\" value=\"agent\"> "
    "密码 <input name=\"password\" type=\"password\"> <button>登录</button> "
    "<span id=\"who\"></span></form>"
    "<h2>坐标定位 Locate a point</h2><form id=\"f\">经度 lon <input name=\"lon\" value=\"118.35\"> "
    "纬度 lat <input name=\"lat\" value=\"35.06\"> <select name=\"crs\"><option>wgs84</option>"
    "<option>cgcs2000</option><option>gcj02</option><option>bd09</option></select> "
    "<button>定位</button></form><pre id=\"out\"></pre>"
    "<h2>接口 API</h2><ul><li><code>POST /api/v1/session</code> {username, password}</li>"
    "<li><code>GET /api/v1/regions/371302</code></li><li><code>GET /api/v1/regions?q=兰山</code></li>"
    "<li><code>GET /api/v1/regions/371302001/grids.geojson</code></li>"
    "<li><code>GET /api/v1/locate?lon=118.35&amp;lat=35.06&amp;crs=gcj02</code></li></ul>"
    "<p>控制台将在后续版本提供。The console comes in a later release.</p>"
    "<script>let token=null;const $=id=>document.getElementById(id);"
    "fetch('/healthz').then(r=>r.json()).then(h=>{$('health').textContent="
    "'运行中：'+h.grids+' 个网格 / '+h.grids+' grids'});"
    "$('login').onsubmit=e=>{e.preventDefault();const f=new FormData(e.target);"
    "fetch('/api/v1/session',{method:'POST',body:JSON.stringify(Object.fromEntries(f))})"
    ".then(r=>r.json()).then(j=>{if(j.token){token=j.token;$('who').textContent='已登录 '+"
    "j.username+' ('+j.role_label+')'}else $('who').textContent=j.error.message})};"
    "$('f').onsubmit=e=>{e.preventDefault();const q=new URLSearchParams(new FormData(e.target));"
    "fetch('/api/v1/locate?'+q,{headers:token?{Authorization:'Bearer '+token}:{}})"
    ".then(r=>r.json()).then(j=>{$('out').textContent=JSON.stringify(j,null,2)})};</script>"
    "</body></html>";

enum wg_rc wg_api_home(struct wg_req *req, struct wg_err *err)
{
    (void)err;
    req->extra_header_name = "Content-Security-Policy";
    req->extra_header_value = "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                              "style-src 'unsafe-inline'; connect-src 'self'";
    return wg_reply_raw(req, 200, "text/html; charset=utf-8", page, sizeof page - 1);
}
