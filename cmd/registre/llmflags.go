package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"registre/extract/llm"
	"registre/pipeline"
)

// llmFlags are the LLM-assistance flags every command that extracts shares
// (extract, eval, ingest). The assistance is off unless --llm (or
// --llm-dry-run) is given: without it no request is ever made.
type llmFlags struct {
	enabled     bool
	baseURL     string
	model       string
	dryRun      bool
	concurrency int
	timeout     time.Duration
}

// defaultLLMModel is used when neither --llm-model nor $OPENAI_MODEL is set.
const defaultLLMModel = "gpt-4o-mini"

func (f *llmFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&f.enabled, "llm", false, "ask an OpenAI-compatible model for records the rules missed (key from $OPENAI_API_KEY)")
	fs.StringVar(&f.baseURL, "llm-base-url", os.Getenv("OPENAI_BASE_URL"), "API root of an OpenAI-compatible server, e.g. http://localhost:11434/v1 ($OPENAI_BASE_URL when set; empty = OpenAI)")
	model := os.Getenv("OPENAI_MODEL")
	if model == "" {
		model = defaultLLMModel
	}
	fs.StringVar(&f.model, "llm-model", model, "model name ($OPENAI_MODEL when set)")
	fs.BoolVar(&f.dryRun, "llm-dry-run", false, "print to stderr every request --llm would send (identifiers masked), send nothing")
	fs.IntVar(&f.concurrency, "llm-concurrency", 2, "LLM requests in flight at once")
	fs.DurationVar(&f.timeout, "llm-timeout", 2*time.Minute, "time limit of one LLM request, retries included")
}

// errNoAPIKey is a usage error: OpenAI itself needs a key.
var errNoAPIKey = errors.New("--llm sans --llm-base-url interroge OpenAI, qui demande une clé : définir OPENAI_API_KEY (ou donner --llm-base-url d'un serveur local)")

// assistant builds the assistant the flags ask for, or nil when the LLM is
// off. Dry-run output goes to stderr (stdout carries the records). dataDir
// is the cache's fallback location when the user cache folder is unknown.
func (f *llmFlags) assistant(stderr io.Writer, dataDir string) (*llm.Assistant, error) {
	if !f.enabled && !f.dryRun {
		return nil, nil
	}
	key := os.Getenv("OPENAI_API_KEY")
	if key == "" && f.baseURL == "" && !f.dryRun {
		return nil, errNoAPIKey
	}
	cfg := llm.Config{
		BaseURL:     f.baseURL,
		Model:       f.model,
		APIKey:      key,
		CacheDir:    llm.DefaultCacheDir(dataDir),
		Concurrency: f.concurrency,
		Timeout:     f.timeout,
	}
	if f.dryRun {
		cfg.DryRun = stderr
	}
	return llm.New(cfg), nil
}

// apply sets the assistant as the pipeline's Assist hook (a nil assistant
// leaves the options as they are).
func applyAssistant(opt pipeline.Options, a *llm.Assistant) pipeline.Options {
	if a != nil {
		opt.Assist = a.Assist
		opt.AssistVersion = a.Version()
	}
	return opt
}

// reportLLM prints the assistant's run summary (requests, tokens, grounded
// and dropped values) to w; nothing when the LLM was off.
func reportLLM(w io.Writer, a *llm.Assistant) {
	if a == nil {
		return
	}
	fmt.Fprintln(w, a.Stats().Summary())
}
