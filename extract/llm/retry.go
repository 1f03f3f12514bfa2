package llm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// retryDoer is the HTTP client go-openai sends through. It counts every
// request that leaves the machine and retries rate-limited ones (429, and
// 503 which some servers send when overloaded), waiting as long as the
// server's Retry-After says, else with exponential backoff. go-openai's
// errors do not carry response headers, so this is the one place
// Retry-After can be honoured.
type retryDoer struct {
	http       *http.Client
	maxRetries int
	maxWait    time.Duration
	sleep      func(ctx context.Context, d time.Duration) error
	onRequest  func()
	onRetry    func(wait time.Duration)
}

func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	backoff := time.Second
	for attempt := 0; ; attempt++ {
		d.onRequest()
		resp, err := d.http.Do(req)
		if err != nil {
			return nil, err
		}
		if (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) || attempt >= d.maxRetries {
			return resp, nil
		}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok {
			wait = backoff
			backoff *= 2
		}
		wait = min(wait, d.maxWait)
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		d.onRetry(wait)
		if err := d.sleep(req.Context(), wait); err != nil {
			return nil, fmt.Errorf("waiting %s before retrying a rate-limited request: %w", wait, err)
		}
		if req.GetBody == nil {
			return nil, fmt.Errorf("cannot retry a request without a replayable body")
		}
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
}

// retryAfter reads a Retry-After header: delay in seconds or an HTTP date.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
