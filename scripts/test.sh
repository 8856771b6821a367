#!/usr/bin/env bash
# Runs every check CI runs: gofmt, go vet, staticcheck, and the tests with
# the race detector against a throwaway PostgreSQL cluster.
#
#   ./scripts/test.sh                  # everything
#   ./scripts/test.sh -run TestFoo     # extra arguments are passed to go test
#   ./scripts/test.sh ./internal/...   # package patterns narrow every step
#
# Needs Go, a C compiler (for -race) and the PostgreSQL server binaries
# (Debian/Ubuntu: apt-get install postgresql gcc). To test against an
# existing server instead, set LOKET_TEST_DATABASE_URL to a superuser URL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '==> %s\n' "$*"; }

# Split the arguments into package patterns and go test flags (a flag's
# separate value, as in "-run X", stays a flag).
pkgs=()
flags=()
prev=
for arg in "$@"; do
	case $prev in
	-run | -skip | -bench | -benchtime | -count | -coverpkg | -coverprofile | -cpu | -list | -p | -parallel | -tags | -timeout)
		flags+=("$arg")
		prev=
		continue
		;;
	esac
	case $arg in
	. | ./* | ../* | */... | all | github.com/loket-id/loket*) pkgs+=("$arg") ;;
	*) flags+=("$arg") ;;
	esac
	prev=$arg
done
if [[ ${#pkgs[@]} -eq 0 ]]; then
	pkgs=(./...)
fi

step "checking toolchain"
if [[ $(go env CGO_ENABLED) != 1 ]]; then
	echo "go test -race needs cgo and a C compiler: install gcc (Debian/Ubuntu: apt-get install gcc)" >&2
	exit 1
fi

step "gofmt"
if [[ ${pkgs[*]} == ./... ]]; then
	unformatted=$(gofmt -l .)
else
	dirs=()
	while IFS= read -r dir; do dirs+=("$dir"); done < <(go list -e -f '{{.Dir}}' "${pkgs[@]}")
	unformatted=$(gofmt -l ${dirs[@]+"${dirs[@]}"} | sort -u)
fi
if [[ -n $unformatted ]]; then
	echo "these files are not gofmt-formatted (fix with gofmt -w):" >&2
	echo "$unformatted" >&2
	exit 1
fi

step "go vet"
go vet "${pkgs[@]}"

step "staticcheck"
go tool staticcheck "${pkgs[@]}"

if [[ -z ${LOKET_TEST_DATABASE_URL:-} ]]; then
	step "starting a throwaway PostgreSQL cluster"
	pgtmp_dir=$(mktemp -d "${TMPDIR:-/tmp}/loket-test.XXXXXX")
	cleanup() {
		if [[ -x $pgtmp_dir/pgtmp ]]; then
			"$pgtmp_dir/pgtmp" stop "$pgtmp_dir/data" || true
		fi
		rm -rf "$pgtmp_dir"
	}
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	# As root the server runs as the "postgres" user, which must reach data/.
	chmod 0711 "$pgtmp_dir"
	go build -o "$pgtmp_dir/pgtmp" ./internal/pgcluster/cmd/pgtmp
	url=$("$pgtmp_dir/pgtmp" start -set max_connections=500 "$pgtmp_dir/data")
	export LOKET_TEST_DATABASE_URL=$url
	echo "    $url"
fi

step "go test -race"
go test -race -count=1 ${flags[@]+"${flags[@]}"} "${pkgs[@]}"
