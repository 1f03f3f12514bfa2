// Package llm is the optional LLM assistance of extraction: after the rule
// parsers ran, it asks an OpenAI-compatible server (OpenAI, Azure OpenAI,
// vLLM, llama.cpp's server, Ollama…) for the records of documents no rule
// understood and for the fields rules left empty, then keeps only what it
// can find in the source text.
//
// Guarantees: nothing is sent unless an Assistant is built and used (the
// CLI does so only with --llm); identifiers (NIR, e-mail, phone, IBAN) are
// replaced by placeholders before anything leaves; only the chunk around a
// record, or a few sections of one document, is ever sent; every value kept
// is grounded in the source with its span and method "llm"; rule values are
// never touched; answers are cached on disk by content.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"golang.org/x/sync/errgroup"

	"registre"
)

// Config configures an Assistant.
type Config struct {
	// BaseURL is the server's API root ("http://localhost:11434/v1" for
	// Ollama); "" means OpenAI. A *.openai.azure.com URL selects Azure.
	BaseURL string
	Model   string
	// APIKey is sent as a bearer token (the CLI reads OPENAI_API_KEY).
	// Local servers usually accept any value.
	APIKey string
	// CacheDir holds cached answers ("" = no cache; see DefaultCacheDir).
	CacheDir string
	// Concurrency bounds the requests in flight across all documents
	// (default 2).
	Concurrency int
	// Timeout bounds one request, retries included (default 2 minutes).
	Timeout time.Duration
	// DryRun, when set, receives every request that would be sent, as the
	// JSON body, and nothing is sent.
	DryRun io.Writer

	// MaxChunkBytes caps the source text of one chunk (default 8000).
	MaxChunkBytes int
	// ContextBytes is the text kept around a rule record's own span
	// (default 1500).
	ContextBytes int
	// MaxChunksPerDocument caps the requests one document may cause
	// (default 12); chunks past it are skipped and counted.
	MaxChunksPerDocument int
	// MaxRetries is how many times a rate-limited request is retried
	// (default 4); MaxRetryWait caps one wait (default 1 minute).
	MaxRetries   int
	MaxRetryWait time.Duration
	// HTTPClient sends the requests (default: a new http.Client).
	HTTPClient *http.Client
	// Logger receives one warning per chunk given up (default slog.Default()).
	Logger *slog.Logger
}

// Confidence of the values the assistant adds. Both are below every rule
// confidence and below LowConfidence, so a reviewer's queue sorted by
// confidence shows them first, and they never outrank a rule value.
const (
	ConfidenceExact = 0.6
	ConfidenceFuzzy = 0.45
	// LowConfidence: a rule value below this is "low confidence" and makes
	// its record worth a question.
	LowConfidence = 0.7
)

// Assistant asks the model; it is safe for concurrent use by the
// pipeline's workers. Its method Assist is a pipeline.Options.Assist.
type Assistant struct {
	cfg    Config
	client *openai.Client
	cache  cache
	sem    chan struct{}
	log    *slog.Logger
	schema json.RawMessage
	// mode is the response_format the server accepted last (a modeXxx);
	// a server answering 400 to json_schema is asked in JSON mode from then on.
	mode  atomic.Int32
	sleep func(ctx context.Context, d time.Duration) error

	mu    sync.Mutex
	stats Stats
}

// response_format modes, from the most to the least constrained.
const (
	modeSchema = iota // json_schema, strict
	modeJSON          // json_object + validation
	modeText          // no response_format + validation
)

// New returns an assistant. It makes no request until Assist is called.
func New(cfg Config) *Assistant {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.MaxChunkBytes <= 0 {
		cfg.MaxChunkBytes = 8000
	}
	if cfg.ContextBytes < 0 {
		cfg.ContextBytes = 0
	} else if cfg.ContextBytes == 0 {
		cfg.ContextBytes = 1500
	}
	if cfg.MaxChunksPerDocument <= 0 {
		cfg.MaxChunksPerDocument = 12
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = 4
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = time.Minute
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	a := &Assistant{
		cfg:    cfg,
		cache:  cache{dir: cfg.CacheDir},
		sem:    make(chan struct{}, cfg.Concurrency),
		log:    cfg.Logger,
		schema: responseSchema(),
		sleep:  sleepCtx,
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	var oc openai.ClientConfig
	if strings.Contains(cfg.BaseURL, ".openai.azure.com") {
		oc = openai.DefaultAzureConfig(cfg.APIKey, cfg.BaseURL)
	} else {
		oc = openai.DefaultConfig(cfg.APIKey)
		if cfg.BaseURL != "" {
			oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
		}
	}
	oc.HTTPClient = &retryDoer{
		http:       cfg.HTTPClient,
		maxRetries: cfg.MaxRetries,
		maxWait:    cfg.MaxRetryWait,
		sleep:      func(ctx context.Context, d time.Duration) error { return a.sleep(ctx, d) },
		onRequest:  func() { a.count(func(s *Stats) { s.Requests++ }) },
		onRetry:    func(time.Duration) { a.count(func(s *Stats) { s.Retries++ }) },
	}
	a.client = openai.NewClientWithConfig(oc)
	return a
}

// Version names what the assistant adds to records: the prompt and schema
// version and the model. A dry run adds nothing, so it has no version.
func (a *Assistant) Version() string {
	if a.cfg.DryRun != nil {
		return ""
	}
	return "llm " + SchemaVersion + "/" + a.cfg.Model
}

// Stats is what the assistant did, for the run summary.
type Stats struct {
	Documents        int `json:"documents"`      // documents that needed a question
	Chunks           int `json:"chunks"`         // chunks asked about (from the server or the cache)
	ChunksSkipped    int `json:"chunks_skipped"` // document chunks not sent: no processing vocabulary, or over the cap
	Requests         int `json:"requests"`       // HTTP requests sent, retries and re-asks included
	CacheHits        int `json:"cache_hits"`
	Retries          int `json:"retries"`          // rate-limited requests retried
	Reasks           int `json:"reasks"`           // answers that failed validation and were asked again
	FormatFallbacks  int `json:"format_fallbacks"` // requests repeated with a weaker response_format after a 400
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	Redacted         int `json:"redacted"`        // identifiers replaced by placeholders
	Grounded         int `json:"grounded"`        // values found in the source and kept
	Ungrounded       int `json:"ungrounded"`      // values not found in the source, dropped
	KeptRule         int `json:"kept_rule"`       // grounded values not used because the rules had the field
	FieldsFilled     int `json:"fields_filled"`   // empty fields of rule records filled
	RecordsAdded     int `json:"records_added"`   // records found in documents the rules gave none for
	RecordsDropped   int `json:"records_dropped"` // answer records with neither a grounded name nor a grounded purpose
	Failures         int `json:"failures"`        // chunks given up (see Reasons)
	// Reasons counts the chunks given up by reason.
	Reasons map[string]int `json:"reasons"`
}

// Stats returns a snapshot of the counters.
func (a *Assistant) Stats() Stats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.stats
	s.Reasons = map[string]int{}
	for k, v := range a.stats.Reasons {
		s.Reasons[k] = v
	}
	return s
}

func (a *Assistant) count(f func(*Stats)) {
	a.mu.Lock()
	f(&a.stats)
	a.mu.Unlock()
}

// Summary is the run summary line shown to people (in French).
func (s Stats) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "llm : %d document(s), %d extrait(s) interrogé(s) (%d en cache, %d ignoré(s)), %d requête(s) HTTP (%d reprise(s) après 429, %d nouvelle(s) demande(s) après réponse invalide)",
		s.Documents, s.Chunks, s.CacheHits, s.ChunksSkipped, s.Requests, s.Retries, s.Reasks)
	fmt.Fprintf(&b, "\nllm : jetons %d en entrée, %d en sortie ; %d identifiant(s) masqué(s)", s.PromptTokens, s.CompletionTokens, s.Redacted)
	fmt.Fprintf(&b, "\nllm : %d valeur(s) ancrée(s) dans la source, %d non ancrée(s) écartée(s), %d ignorée(s) (valeur des règles conservée) ; %d champ(s) complété(s), %d fiche(s) ajoutée(s), %d fiche(s) écartée(s)",
		s.Grounded, s.Ungrounded, s.KeptRule, s.FieldsFilled, s.RecordsAdded, s.RecordsDropped)
	if s.Failures > 0 {
		keys := make([]string, 0, len(s.Reasons))
		for k := range s.Reasons {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s (%d)", k, s.Reasons[k]))
		}
		fmt.Fprintf(&b, "\nllm : %d extrait(s) abandonné(s) : %s", s.Failures, strings.Join(parts, " ; "))
	}
	return b.String()
}

// errDryRun marks a question printed instead of sent.
var errDryRun = errors.New("dry run")

// failure is a chunk given up, with a reason for the summary.
type failure struct {
	reason string
	err    error
}

func (f *failure) Error() string {
	if f.err == nil {
		return f.reason
	}
	return f.reason + ": " + f.err.Error()
}

// ask sends one chunk's question and returns the validated answer, with
// the placeholders put back. An invalid answer is asked again once with
// the validation errors; a second invalid answer gives up.
func (a *Assistant) ask(ctx context.Context, doc *registre.Document, c chunk) ([]answerRecord, error) {
	user, red := Redact(userMessage(doc, c))
	a.count(func(s *Stats) { s.Redacted += red.Count() })
	msgs := []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleSystem, Content: systemPrompt},
		{Role: openai.ChatMessageRoleUser, Content: user},
	}
	content, err := a.call(ctx, msgs)
	if err != nil {
		return nil, err
	}
	recs, problems := parseAnswer(content)
	if len(problems) == 0 {
		return restore(recs, red), nil
	}
	a.count(func(s *Stats) { s.Reasks++ })
	msgs = append(msgs,
		openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: content},
		openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: reaskMessage(problems)},
	)
	content, err = a.call(ctx, msgs)
	if err != nil {
		return nil, err
	}
	recs, problems = parseAnswer(content)
	if len(problems) > 0 {
		return nil, &failure{reason: "réponse invalide après une nouvelle demande", err: errors.New(strings.Join(problems, "; "))}
	}
	return restore(recs, red), nil
}

func restore(recs []answerRecord, red *Redaction) []answerRecord {
	for _, r := range recs {
		for k, vs := range r {
			for i := range vs {
				vs[i] = red.Restore(vs[i])
			}
			r[k] = vs
		}
	}
	return recs
}

// call returns the answer to msgs: from the cache, else from the server
// (printed instead of sent in dry-run mode).
func (a *Assistant) call(ctx context.Context, msgs []openai.ChatCompletionMessage) (string, error) {
	key := cacheKey(a.cfg.Model, msgs)
	if a.cfg.DryRun == nil {
		if e, ok := a.cache.get(key); ok {
			a.count(func(s *Stats) { s.CacheHits++ })
			return e.Content, nil
		}
	}
	// Defence in depth: the prompt was redacted, check it once more.
	for _, m := range msgs {
		if m.Role == openai.ChatMessageRoleUser {
			if ids := Identifiers(m.Content); len(ids) > 0 {
				return "", &failure{reason: "identifiant non masqué dans la demande", err: fmt.Errorf("%d identifier(s)", len(ids))}
			}
		}
	}
	if a.cfg.DryRun != nil {
		req := a.request(msgs, int(a.mode.Load()))
		a.mu.Lock()
		defer a.mu.Unlock()
		enc := json.NewEncoder(a.cfg.DryRun)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(req); err != nil {
			return "", fmt.Errorf("print dry-run request: %w", err)
		}
		return "", errDryRun
	}

	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-a.sem }()
	ctx, cancel := context.WithTimeout(ctx, a.cfg.Timeout)
	defer cancel()

	var resp openai.ChatCompletionResponse
	var err error
	start := int(a.mode.Load())
	for mode := start; mode <= modeText; mode++ {
		resp, err = a.client.CreateChatCompletion(ctx, a.request(msgs, mode))
		var apiErr *openai.APIError
		if err != nil && errors.As(err, &apiErr) && apiErr.HTTPStatusCode == http.StatusBadRequest && mode < modeText {
			// The server may not know this response_format: ask again
			// with a weaker one, and keep it if it works.
			a.count(func(s *Stats) { s.FormatFallbacks++ })
			continue
		}
		if err == nil && mode > start {
			a.mode.CompareAndSwap(int32(start), int32(mode))
		}
		break
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return "", &failure{reason: "délai dépassé", err: err}
		}
		var apiErr *openai.APIError
		if errors.As(err, &apiErr) {
			return "", &failure{reason: fmt.Sprintf("erreur du serveur (HTTP %d)", apiErr.HTTPStatusCode), err: err}
		}
		return "", &failure{reason: "requête impossible", err: err}
	}
	a.count(func(s *Stats) {
		s.PromptTokens += resp.Usage.PromptTokens
		s.CompletionTokens += resp.Usage.CompletionTokens
	})
	if len(resp.Choices) == 0 {
		return "", &failure{reason: "réponse sans contenu"}
	}
	content := resp.Choices[0].Message.Content
	if err := a.cache.put(key, cacheEntry{Model: a.cfg.Model, Content: content, PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens}); err != nil {
		a.log.Warn("llm cache", "err", err)
	}
	return content, nil
}

// request builds the chat completion request for a response_format mode.
func (a *Assistant) request(msgs []openai.ChatCompletionMessage, mode int) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model:    a.cfg.Model,
		Messages: msgs,
		// Same question, same answer where servers honour it. go-openai
		// drops a zero temperature (omitempty), hence the smallest non-zero.
		Seed:        new(int),
		Temperature: math.SmallestNonzeroFloat32,
	}
	switch mode {
	case modeSchema:
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   "processing_records",
				Schema: a.schema,
				Strict: true,
			},
		}
	case modeJSON:
		req.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return req
}

// Assist completes the rule records of doc and, when the rules found none,
// looks for records in it. It never removes or changes a rule value. A
// chunk the model could not answer is given up (counted, logged) and the
// rule records stay as they were; only a cancelled context is an error.
func (a *Assistant) Assist(ctx context.Context, doc *registre.Document, raws []registre.RawRecord) ([]registre.RawRecord, error) {
	chunks, skipped := a.plan(doc, raws)
	if skipped > 0 {
		a.count(func(s *Stats) { s.ChunksSkipped += skipped })
	}
	if len(chunks) == 0 {
		return raws, nil
	}
	a.count(func(s *Stats) { s.Documents++; s.Chunks += len(chunks) })

	answers := make([][]answerRecord, len(chunks))
	errs := make([]error, len(chunks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(a.cfg.Concurrency)
	for i, c := range chunks {
		g.Go(func() error {
			answers[i], errs[i] = a.ask(gctx, doc, c)
			return nil
		})
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return raws, err
	}

	out := make([]registre.RawRecord, len(raws))
	copy(out, raws)
	m := &merger{a: a, doc: doc}
	for i, c := range chunks {
		if err := errs[i]; err != nil {
			if errors.Is(err, errDryRun) {
				continue
			}
			reason := "requête impossible"
			var f *failure
			if errors.As(err, &f) {
				reason = f.reason
			}
			a.count(func(s *Stats) {
				s.Failures++
				if s.Reasons == nil {
					s.Reasons = map[string]int{}
				}
				s.Reasons[reason]++
			})
			a.log.Warn("llm: chunk given up", "path", doc.Path, "start", c.Start, "end", c.End, "err", err)
			continue
		}
		if c.Record >= 0 {
			m.complete(&out[c.Record], c, answers[i])
		} else {
			out = m.add(out, c, answers[i])
		}
	}
	return out, nil
}
