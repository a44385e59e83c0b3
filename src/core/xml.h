/* A small XML writer for answers that clients read as XML (Open311 GeoReport): it renders a
 * JSON value — the same one the JSON answer is made of — as an element tree, so both
 * formats come from one description and cannot drift apart. UTF-8 with the declaration;
 * text escaped (& < > " '), characters XML 1.0 does not allow dropped. */
#ifndef WG_CORE_XML_H
#define WG_CORE_XML_H

#include <jansson.h>

#include "core/buf.h"

/* Names the element of each member of an array held under `list` ("services" → "service");
 * NULL for a name it does not know, which then repeats the list's own name. */
typedef const char *(*wg_xml_item_fn)(const char *list);

/* Appends <?xml ...?> and <root>…</root> for v: an object's members become child elements
 * in their order, an array's members become item elements (item(root) names them), null an
 * empty element, true/false and numbers their text. */
enum wg_rc wg_xml_render(struct wg_buf *b, const char *root, const json_t *v, wg_xml_item_fn item);

/* Appends s (len bytes of UTF-8) escaped for XML text or attribute values. */
void wg_xml_escape(struct wg_buf *b, const char *s, size_t len);

#endif
