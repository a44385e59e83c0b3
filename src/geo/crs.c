/* Conversion between the coordinate systems points arrive in (crs.h) and WGS84/CGCS2000.
 * WGS84 -> GCJ-02 is the public Krasovsky-ellipsoid formula; its inverse has no closed form,
 * so GCJ-02 -> WGS84 iterates the forward formula. BD-09 is a further public rotation and
 * shift of GCJ-02. */
#include "geo/crs.h"

#include <math.h>
#include <strings.h>

#define KRASOVSKY_A  6378245.0
#define KRASOVSKY_EE 0.00669342162296594323
#define X_PI         (M_PI * 3000.0 / 180.0)

const char *wg_crs_name(enum wg_crs crs)
{
    switch (crs) {
    case WG_CRS_WGS84:
        return "wgs84";
    case WG_CRS_CGCS2000:
        return "cgcs2000";
    case WG_CRS_GCJ02:
        return "gcj02";
    case WG_CRS_BD09:
        return "bd09";
    }
    return "?";
}

enum wg_rc wg_crs_parse(const char *name, enum wg_crs *out, struct wg_err *err)
{
    static const enum wg_crs all[] = {WG_CRS_WGS84, WG_CRS_CGCS2000, WG_CRS_GCJ02, WG_CRS_BD09};
    if (!name || !*name) {
        *out = WG_CRS_WGS84;
        return WG_OK;
    }
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcasecmp(name, wg_crs_name(all[i])) == 0) {
            *out = all[i];
            return WG_OK;
        }
    }
    return wg_err_set(err, WG_EINVAL,
                      "unknown coordinate system '%.64s' (use wgs84, cgcs2000, gcj02 or bd09)",
                      name);
}

/* The published rectangle outside which GCJ-02 applies no offset. */
static int outside_china(double lon, double lat)
{
    return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

static double transform_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * M_PI) + 40.0 * sin(y / 3.0 * M_PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * M_PI) + 320.0 * sin(y * M_PI / 30.0)) * 2.0 / 3.0;
    return r;
}

static double transform_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * M_PI) + 40.0 * sin(x / 3.0 * M_PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * M_PI) + 300.0 * sin(x / 30.0 * M_PI)) * 2.0 / 3.0;
    return r;
}

static void wgs_to_gcj(double lon, double lat, double *olon, double *olat)
{
    if (outside_china(lon, lat)) {
        *olon = lon;
        *olat = lat;
        return;
    }
    double dlat = transform_lat(lon - 105.0, lat - 35.0);
    double dlon = transform_lon(lon - 105.0, lat - 35.0);
    double radlat = lat / 180.0 * M_PI;
    double magic = sin(radlat);
    magic = 1 - KRASOVSKY_EE * magic * magic;
    double sqrtmagic = sqrt(magic);
    dlat = (dlat * 180.0) / ((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtmagic) * M_PI);
    dlon = (dlon * 180.0) / (KRASOVSKY_A / sqrtmagic * cos(radlat) * M_PI);
    *olon = lon + dlon;
    *olat = lat + dlat;
}

/* The offset varies slowly (its derivative is well under 1e-2), so the fixed-point
 * iteration w <- w - (f(w) - g) converges by a factor of ~100 a step: four steps reach the
 * limit of double precision; the loop stops earlier when the step is below ~1 micrometre. */
static void gcj_to_wgs(double lon, double lat, double *olon, double *olat)
{
    if (outside_china(lon, lat)) {
        *olon = lon;
        *olat = lat;
        return;
    }
    double wlon = lon, wlat = lat;
    for (int i = 0; i < 10; i++) {
        double glon, glat;
        wgs_to_gcj(wlon, wlat, &glon, &glat);
        double dx = glon - lon, dy = glat - lat;
        wlon -= dx;
        wlat -= dy;
        if (fabs(dx) < 1e-11 && fabs(dy) < 1e-11)
            break;
    }
    *olon = wlon;
    *olat = wlat;
}

static void gcj_to_bd(double lon, double lat, double *olon, double *olat)
{
    double z = sqrt(lon * lon + lat * lat) + 0.00002 * sin(lat * X_PI);
    double theta = atan2(lat, lon) + 0.000003 * cos(lon * X_PI);
    *olon = z * cos(theta) + 0.0065;
    *olat = z * sin(theta) + 0.006;
}

static void bd_to_gcj(double lon, double lat, double *olon, double *olat)
{
    double x = lon - 0.0065, y = lat - 0.006;
    double z = sqrt(x * x + y * y) - 0.00002 * sin(y * X_PI);
    double theta = atan2(y, x) - 0.000003 * cos(x * X_PI);
    *olon = z * cos(theta);
    *olat = z * sin(theta);
}

/* The public BD-09 -> GCJ-02 formula is only approximately the inverse of the forward one
 * (off by up to a few decimetres); a few fixed-point corrections make the round trip exact
 * to well under a millimetre. */
static void bd_to_gcj_exact(double lon, double lat, double *olon, double *olat)
{
    double glon, glat;
    bd_to_gcj(lon, lat, &glon, &glat);
    for (int i = 0; i < 5; i++) {
        double blon, blat;
        gcj_to_bd(glon, glat, &blon, &blat);
        double dx = blon - lon, dy = blat - lat;
        glon -= dx;
        glat -= dy;
        if (fabs(dx) < 1e-11 && fabs(dy) < 1e-11)
            break;
    }
    *olon = glon;
    *olat = glat;
}

void wg_crs_to_wgs84(enum wg_crs from, double lon, double lat, double *olon, double *olat)
{
    double glon, glat;
    switch (from) {
    case WG_CRS_GCJ02:
        gcj_to_wgs(lon, lat, olon, olat);
        return;
    case WG_CRS_BD09:
        bd_to_gcj_exact(lon, lat, &glon, &glat);
        gcj_to_wgs(glon, glat, olon, olat);
        return;
    case WG_CRS_WGS84:
    case WG_CRS_CGCS2000:
        break;
    }
    *olon = lon;
    *olat = lat;
}

void wg_crs_from_wgs84(enum wg_crs to, double lon, double lat, double *olon, double *olat)
{
    double glon, glat;
    switch (to) {
    case WG_CRS_GCJ02:
        wgs_to_gcj(lon, lat, olon, olat);
        return;
    case WG_CRS_BD09:
        wgs_to_gcj(lon, lat, &glon, &glat);
        gcj_to_bd(glon, glat, olon, olat);
        return;
    case WG_CRS_WGS84:
    case WG_CRS_CGCS2000:
        break;
    }
    *olon = lon;
    *olat = lat;
}
