package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ctxClient is an HTTP client whose requests end with a context, so a long poll stops
// at once on shutdown (the Bot API library takes no context).
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	return c.c.Do(req.WithContext(c.ctx))
}

// Connect returns a Bot API client for token at apiURL ({apiURL}/bot{token}/{method})
// whose calls end when ctx ends or after timeout. It checks the token with getMe,
// retrying while Telegram cannot be reached.
func Connect(ctx context.Context, apiURL, token string, timeout time.Duration, log *slog.Logger) (*tgbotapi.BotAPI, error) {
	// Keep a connection per sending chat open rather than redialling under load: the
	// default transport keeps only two idle connections per host.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 100
	client := ctxClient{ctx: ctx, c: &http.Client{Timeout: timeout, Transport: tr}}
	wait := time.Second
	for {
		api, err := tgbotapi.NewBotAPIWithClient(token, apiURL+"/bot%s/%s", client)
		if err == nil {
			return api, nil
		}
		var tgErr *tgbotapi.Error
		if errors.As(err, &tgErr) && (tgErr.Code == 401 || tgErr.Code == 404) {
			return nil, fmt.Errorf("bot: Telegram refused the bot token (%d %s): check TELEGRAM_BOT_TOKEN", tgErr.Code, tgErr.Message)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("bot: connect: %w", ctx.Err())
		}
		log.Warn("cannot reach the Bot API; retrying", "err", redactToken(err.Error(), token), "retry_in", wait)
		sleep(ctx, wait)
		wait = min(wait*2, 30*time.Second)
	}
}

// redacting wraps an API so that no error it returns contains the bot token (the
// library's network errors quote the request URL, which holds it).
type redacting struct {
	API
	token string
}

// Redacting returns api with the token removed from its errors.
func Redacting(api API, token string) API { return redacting{API: api, token: token} }

func (r redacting) MakeRequest(endpoint string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	resp, err := r.API.MakeRequest(endpoint, params)
	if err == nil {
		return resp, nil
	}
	var tgErr *tgbotapi.Error
	if errors.As(err, &tgErr) {
		return resp, err
	}
	return resp, errors.New(redactToken(err.Error(), r.token))
}
