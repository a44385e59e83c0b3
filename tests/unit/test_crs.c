/* Coordinate conversions: known pairs computed with the public formulas (an independent
 * script of the same formulas gave the expected values), round trips under a centimetre,
 * no offset outside China, and CRS name parsing. */
#include <math.h>

#include "geo/crs.h"
#include "geo/shape.h"
#include "t.h"

/* Distance in metres between two nearby lon/lat points. */
static double dist_m(double lon1, double lat1, double lon2, double lat2)
{
    double mx, my;
    wg_geo_m_per_deg((lat1 + lat2) / 2, &mx, &my);
    return hypot((lon1 - lon2) * mx, (lat1 - lat2) * my);
}

static const struct {
    double wlon, wlat; /* WGS84 */
    double glon, glat; /* GCJ-02 */
    double blon, blat; /* BD-09 */
} known[] = {
    {116.397428, 39.90923, 116.403671626, 39.910633506, 116.410044102, 39.916972856},
    {117.000923, 36.675807, 117.006770200, 36.676077568, 117.013152778, 36.682402302},
    {121.4737, 31.2304, 121.478223059, 31.228457738, 121.484781469, 31.234310594},
};

static void test_known_pairs(void)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        double lon, lat;
        wg_crs_from_wgs84(WG_CRS_GCJ02, known[i].wlon, known[i].wlat, &lon, &lat);
        T_NEAR(lon, known[i].glon, 1e-8);
        T_NEAR(lat, known[i].glat, 1e-8);
        wg_crs_from_wgs84(WG_CRS_BD09, known[i].wlon, known[i].wlat, &lon, &lat);
        T_NEAR(lon, known[i].blon, 1e-8);
        T_NEAR(lat, known[i].blat, 1e-8);

        wg_crs_to_wgs84(WG_CRS_GCJ02, known[i].glon, known[i].glat, &lon, &lat);
        T_CHECK(dist_m(lon, lat, known[i].wlon, known[i].wlat) < 0.01);
        wg_crs_to_wgs84(WG_CRS_BD09, known[i].blon, known[i].blat, &lon, &lat);
        T_CHECK(dist_m(lon, lat, known[i].wlon, known[i].wlat) < 0.01);
    }
}

static void test_round_trips(void)
{
    /* A sweep over China's extent: every round trip within 1 cm (the header promises 1 m). */
    double worst = 0;
    for (double lon = 74.0; lon <= 134.0; lon += 1.37) {
        for (double lat = 18.0; lat <= 53.0; lat += 0.91) {
            enum wg_crs crs[] = {WG_CRS_GCJ02, WG_CRS_BD09};
            for (int k = 0; k < 2; k++) {
                double a, b, c, d;
                wg_crs_from_wgs84(crs[k], lon, lat, &a, &b);
                wg_crs_to_wgs84(crs[k], a, b, &c, &d);
                double e = dist_m(c, d, lon, lat);
                worst = e > worst ? e : worst;
            }
        }
    }
    T_CHECK(worst < 0.01);
    /* The offset is real: a few hundred metres in Beijing. */
    double glon, glat;
    wg_crs_from_wgs84(WG_CRS_GCJ02, 116.397428, 39.90923, &glon, &glat);
    double off = dist_m(glon, glat, 116.397428, 39.90923);
    T_CHECK(off > 100 && off < 1000);
}

static void test_identity_and_outside(void)
{
    double lon, lat;
    wg_crs_to_wgs84(WG_CRS_CGCS2000, 117.1, 36.6, &lon, &lat);
    T_CHECK(lon == 117.1 && lat == 36.6);
    wg_crs_from_wgs84(WG_CRS_WGS84, 117.1, 36.6, &lon, &lat);
    T_CHECK(lon == 117.1 && lat == 36.6);
    /* Paris and Sydney: GCJ-02 equals WGS84 there. */
    wg_crs_from_wgs84(WG_CRS_GCJ02, 2.3522, 48.8566, &lon, &lat);
    T_CHECK(lon == 2.3522 && lat == 48.8566);
    wg_crs_to_wgs84(WG_CRS_GCJ02, 151.2093, -33.8688, &lon, &lat);
    T_CHECK(lon == 151.2093 && lat == -33.8688);
    /* BD-09 outside China is still BD-09's own shift of GCJ-02 (= WGS84 there). */
    wg_crs_from_wgs84(WG_CRS_BD09, 2.3522, 48.8566, &lon, &lat);
    T_CHECK(fabs(lon - 2.3522) > 1e-3);
    double wlon, wlat;
    wg_crs_to_wgs84(WG_CRS_BD09, lon, lat, &wlon, &wlat);
    T_CHECK(dist_m(wlon, wlat, 2.3522, 48.8566) < 0.01);
}

static void test_parse(void)
{
    static const struct {
        const char *name;
        enum wg_crs crs;
    } ok[] = {
        {"wgs84", WG_CRS_WGS84}, {"WGS84", WG_CRS_WGS84}, {"cgcs2000", WG_CRS_CGCS2000},
        {"GCJ02", WG_CRS_GCJ02}, {"bd09", WG_CRS_BD09},   {"", WG_CRS_WGS84},
        {NULL, WG_CRS_WGS84},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        enum wg_crs c = WG_CRS_BD09 + 1;
        struct wg_err err = {0};
        T_EQ_INT(wg_crs_parse(ok[i].name, &c, &err), WG_OK);
        T_EQ_INT(c, ok[i].crs);
    }
    T_EQ_STR(wg_crs_name(WG_CRS_GCJ02), "gcj02");
    T_EQ_STR(wg_crs_name(WG_CRS_CGCS2000), "cgcs2000");
    enum wg_crs c;
    struct wg_err err = {0};
    T_EQ_INT(wg_crs_parse("epsg:3857", &c, &err), WG_EINVAL);
    T_EQ_STR(err.msg, "unknown coordinate system 'epsg:3857' (use wgs84, cgcs2000, gcj02 or bd09)");
}

int main(void)
{
    test_known_pairs();
    test_round_trips();
    test_identity_and_outside();
    test_parse();
    return T_DONE("crs");
}
