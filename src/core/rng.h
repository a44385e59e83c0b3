/* The deterministic generator behind generated demo data and geometry samples: splitmix64,
 * small, fast and good enough, so a seed always makes the same district, grids and history
 * (tests and benchmarks rely on it). Never for secrets: those come from libsodium. */
#ifndef WG_CORE_RNG_H
#define WG_CORE_RNG_H

#include <stdint.h>

#define WG_RNG_GOLDEN 0x9e3779b97f4a7c15ull /* splitmix64's step */

/* splitmix64's finalizer: a 64-bit value mixed into a well-spread one. */
static inline uint64_t wg_rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The next number of the sequence at *state. */
static inline uint64_t wg_rng_next(uint64_t *state)
{
    return wg_rng_mix(*state += WG_RNG_GOLDEN);
}

/* A double in [0, 1) from the top 53 bits of a number. */
static inline double wg_rng_unit(uint64_t z)
{
    return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}

/* The next double in [0, 1) of the sequence at *state. */
static inline double wg_rng_uniform(uint64_t *state)
{
    return wg_rng_unit(wg_rng_next(state));
}

#endif
