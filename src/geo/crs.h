/* Coordinate reference systems points arrive in, and conversion to the one wangge stores.
 * Stored coordinates are CGCS2000 longitude/latitude, treated as equal to WGS84 at grid
 * scale. Phones using AMap or Tencent maps send GCJ-02; Baidu sends BD-09. The formulas are
 * the public ones (WGS84 -> GCJ-02 on the Krasovsky ellipsoid a = 6378245.0,
 * ee = 0.00669342162296594323; GCJ-02 -> WGS84 by iteration to under 1 m). Outside China
 * GCJ-02 equals WGS84. */
#ifndef WG_GEO_CRS_H
#define WG_GEO_CRS_H

#include "core/err.h"

enum wg_crs { WG_CRS_WGS84, WG_CRS_CGCS2000, WG_CRS_GCJ02, WG_CRS_BD09 };

/* "wgs84", "cgcs2000", "gcj02", "bd09" (case-insensitive; NULL or "" means wgs84). */
enum wg_rc wg_crs_parse(const char *name, enum wg_crs *out, struct wg_err *err);
const char *wg_crs_name(enum wg_crs crs);

void wg_crs_to_wgs84(enum wg_crs from, double lon, double lat, double *olon, double *olat);
void wg_crs_from_wgs84(enum wg_crs to, double lon, double lat, double *olon, double *olat);

#endif
