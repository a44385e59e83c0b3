/* Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2): the open standard civic-issue apps
 * speak, mapped onto wangge. Pure logic over the catalog and store rows; the handlers in
 * api/open311*.c do the HTTP and the committing.
 *
 *   service            a catalog item open to public intake; its code is the service_code,
 *                      its name the service_name, its top-level ancestor the group, its
 *                      keywords the keywords; type is always realtime (an order exists as
 *                      soon as the request is answered); metadata is true when it has
 *                      attributes, which form its service definition.
 *   service request    a work order of such an item that is not confidential; its number is
 *                      the service_request_id. Its state maps to open (received, dispatched,
 *                      signed, returning, suspended) or closed (replied, verified, closed,
 *                      merged, invalid); status_notes says the state in words; the handling
 *                      unit is agency_responsible; the reply deadline expected_datetime.
 *                      Nothing of the reporter is ever shown.
 *   update             a state change of such an order (the servicerequestupdates extension
 *                      of mySociety's FixMyStreet, with its extended statuses).
 *   jurisdiction_id    the county code, needed when the deployment serves several counties.
 *
 * Times are W3C date-times (a subset of ISO 8601) in China Standard Time, +08:00. */
#ifndef WG_DOMAIN_OPEN311_H
#define WG_DOMAIN_OPEN311_H

#include <jansson.h>

#include "core/form.h"
#include "domain/catalog/catalog.h"
#include "store/store.h"
#include "store/open311/open311_q.h"

#define WG_OPEN311_MAX_REQUESTS    1000           /* one answer of GET requests at most */
#define WG_OPEN311_MAX_SPAN        (90 * 86400LL) /* seconds a date range may span */
#define WG_OPEN311_DESCRIPTION_MAX 4000           /* bytes */

/* Reads a W3C date-time: YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss[.s…]] with Z or ±hh:mm; a date
 * alone is its midnight in China Standard Time. A space stands for the '+' of the offset,
 * as a '+' a client left unescaped in a query string arrives. *out is unix seconds;
 * WG_EINVAL otherwise. */
enum wg_rc wg_open311_parse_time(const char *s, long long *out, struct wg_err *err);
/* "2026-01-15T19:30:00+08:00" */
void wg_open311_format_time(long long t, char out[32]);
/* The same from a stored UTC time ("2026-01-15T11:30:00Z"); "" when it cannot be read. */
void wg_open311_local_time(const char *iso_utc, char out[32]);
/* A unix time as the store writes it: "2026-01-15T11:30:00Z". */
void wg_open311_utc_time(long long t, char out[32]);

/* "open" or "closed" for an order state; the extended status of the servicerequestupdates
 * extension (open, action_scheduled, in_progress, internal_referral, investigating, fixed,
 * closed, duplicate, no_further_action); the state in words for residents. */
const char *wg_open311_status(const char *state);
const char *wg_open311_extended_status(const char *state);
const char *wg_open311_status_notes(const char *state);
/* The states a status filter ("open", "closed" or "open,closed") stands for, as a JSON array
 * text (owned); WG_EINVAL naming a status that is neither. */
enum wg_rc wg_open311_states(const char *status, char **out, struct wg_err *err);

/* Services: the public items; an item is one when it is public and has a name. */
int wg_open311_is_service(const struct wg_catalog_item *it);
/* The service codes as a JSON array text (owned), for the store's filters. */
char *wg_open311_service_codes(const struct wg_catalog *cat);
/* GET services: [{service_code, service_name, description, metadata, type, keywords,
 * group}, …] */
json_t *wg_open311_services_json(const struct wg_catalog *cat);
/* GET services/{code}: {service_code, attributes: [{variable, code, datatype, required,
 * datatype_description, order, description, values?: [{key, name}]}]}, attributes by order. */
json_t *wg_open311_definition_json(const struct wg_catalog_item *it);
/* What a request of this item may expect: its reply limit in working days. */
void wg_open311_service_notice(const struct wg_catalog *cat, const struct wg_catalog_item *it,
                               char *out, size_t size);

/* A request as the specification's fields, in its order; identifiers are strings, absent
 * values null. media_url is where the photo posted with it is served (media_base, the
 * interface's URL ending in "/media/", and its SHA-256), else the URL the client gave. */
json_t *wg_open311_request_json(const struct wg_catalog *cat, const struct wg_open311_req_row *r,
                                const char *media_base);
/* An update of the servicerequestupdates extension: {update_id, service_request_id, status,
 * updated_datetime, description, media_url, external_status_code}. */
json_t *wg_open311_update_json(const struct wg_open311_update_row *u);

/* A POST requests form, read and checked against the service definition. Strings point into
 * the form (NULL when absent or empty). */
struct wg_open311_post {
    const char *api_key, *jurisdiction, *service_code;
    const struct wg_catalog_item *item;
    int has_point;
    double lat, lon;
    const char *address_string, *address_id, *email, *device_id, *account_id, *first_name,
        *last_name, *phone, *description, *media_url;
    const struct wg_form_field *media; /* the uploaded file, NULL when none */
    json_t *attributes; /* owned: {code: "value"} and {code: ["key", …]} for multivaluelists */
};
/* Reads the form: service_code missing is WG_EINVAL, unknown or not public WG_ENOTFOUND;
 * every other field and every attribute is checked (a required attribute missing, a value
 * not in a list, a number or date-time that is not one, text too long or not UTF-8, an
 * attribute the definition does not have) as WG_EINVAL naming the field. The api_key is
 * only read, not checked. Release with wg_open311_post_release, also after a failure. */
enum wg_rc wg_open311_post_parse(const struct wg_catalog *cat, const struct wg_form *form,
                                 struct wg_open311_post *out, struct wg_err *err);
void wg_open311_post_release(struct wg_open311_post *p);

/* The XML element of each member of the Open311 lists ("services" → "service"). */
const char *wg_open311_xml_item(const char *list);

#endif
