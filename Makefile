# The two commands of the README's quick start.
.PHONY: run test build

build:
	go build -o bin/loket ./cmd/loket

# Run Loket: a private PostgreSQL under .data/ when DATABASE_URL is unset, the sample
# knowledge base, then the Telegram bot (TELEGRAM_BOT_TOKEN set) or the terminal chat.
run: build
	./bin/loket run

# gofmt, go vet, staticcheck and the tests (a throwaway PostgreSQL when none is given).
test:
	./scripts/test.sh
