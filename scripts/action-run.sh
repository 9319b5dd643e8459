#!/usr/bin/env bash
# The GitHub Action's step (action.yml): runs deploy-preflight with the action's inputs, given as
# DP_* environment variables, writes the SARIF log and/or annotations, and sets the step's outputs
# (sarif-file, exit-code) in $GITHUB_OUTPUT. Exits with deploy-preflight's status.
set -euo pipefail

version=${DP_VERSION:-latest}
# A package spec (a tarball, a path, a URL, a git spec) is run as given; a version or tag names the npm package.
case "$version" in
  */* | *.tgz | *:*) pkg=$version ;;
  *) pkg="deploy-preflight@$version" ;;
esac

read -r -a paths <<<"${DP_PATHS:-.}"
[ ${#paths[@]} -gt 0 ] || paths=(.)
args=()
[ -n "${DP_CONFIG:-}" ] && args+=(--config "$DP_CONFIG")
case "${DP_FAIL_ON:-error}" in
  error) ;;
  warning) args+=(--max-warnings 0) ;;
  never) args+=(--exit-zero) ;;
  *) echo "::error title=deploy-preflight::fail-on must be error, warning or never, not '${DP_FAIL_ON}'"; exit 2 ;;
esac
sarif=${DP_SARIF_FILE:-deploy-preflight.sarif}
case "${DP_FORMAT:-both}" in
  sarif) args+=(--format sarif -o "$sarif") ;;
  annotations) args+=(--format github); sarif= ;;
  both) args+=(--format sarif -o "$sarif" --format github) ;;
  *) echo "::error title=deploy-preflight::format must be sarif, annotations or both, not '${DP_FORMAT}'"; exit 2 ;;
esac
if [ -n "${DP_ARGS:-}" ]; then
  read -r -a extra <<<"$DP_ARGS"
  args+=("${extra[@]}")
fi

set +e
npm exec --yes --package="$pkg" -- deploy-preflight "${paths[@]}" "${args[@]}"
code=$?
set -e

if [ -n "$sarif" ] && [ -f "$sarif" ]; then
  case "$sarif" in /*) ;; *) sarif="$PWD/$sarif" ;; esac
  echo "sarif-file=$sarif" >>"${GITHUB_OUTPUT:-/dev/null}"
else
  echo "sarif-file=" >>"${GITHUB_OUTPUT:-/dev/null}"
fi
echo "exit-code=$code" >>"${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
