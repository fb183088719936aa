#!/usr/bin/env bash
# Reproduce the vendored front-end files in src/warcoder/web/static/vendor/ from the npm registry.
# The versions are pinned in web-src/package.json (and web-src/package-lock.json).  Python users
# never need to run this: the output is committed.  Nothing is fetched by the web app at run time.
set -euo pipefail
cd "$(dirname "$0")/../web-src"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
OUT=../src/warcoder/web/static/vendor
rm -rf "$OUT"
mkdir -p "$OUT/leaflet/images" "$OUT/markercluster" "$OUT/topojson" "$OUT/world-atlas"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$OUT/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$OUT/leaflet/images/"
cp node_modules/leaflet/LICENSE "$OUT/leaflet/LICENSE"
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
   node_modules/leaflet.markercluster/dist/MarkerCluster.css \
   node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css "$OUT/markercluster/"
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt "$OUT/markercluster/LICENSE"
cp node_modules/topojson-client/dist/topojson-client.min.js "$OUT/topojson/"
cp node_modules/topojson-client/LICENSE "$OUT/topojson/LICENSE"
# Natural Earth 1:50m country outlines (public domain) as TopoJSON, packaged by world-atlas (ISC).
cp node_modules/world-atlas/countries-50m.json "$OUT/world-atlas/"
cp node_modules/world-atlas/LICENSE "$OUT/world-atlas/LICENSE"
# strip source-map references: the maps are not shipped
sed -i -e '/^\/\/# sourceMappingURL=/d' "$OUT/leaflet/leaflet.js" "$OUT/markercluster/leaflet.markercluster.js"
cat > "$OUT/VERSIONS.txt" <<VERS
$(node -e 'for (const p of ["leaflet","leaflet.markercluster","topojson-client","world-atlas"]) { const j=require("./node_modules/"+p+"/package.json"); console.log(`${j.name} ${j.version} ${j.license}`) }')
Natural Earth (naturalearthdata.com) 1:50m admin 0 countries: public domain, via world-atlas.
VERS
echo "vendored into $OUT:"; cat "$OUT/VERSIONS.txt"
