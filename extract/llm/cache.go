package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	openai "github.com/sashabaranov/go-openai"
)

// cache stores answers on disk under the hash of the question, so that a
// re-run over the same documents with the same model and schema costs no
// request. Entries are written atomically (temporary file + rename), so
// concurrent runs sharing a cache never read half an entry.
type cache struct {
	dir string // "" = no cache
}

type cacheEntry struct {
	Model            string `json:"model"`
	Content          string `json:"content"`
	PromptTokens     int    `json:"prompt_tokens"`
	CompletionTokens int    `json:"completion_tokens"`
}

// cacheKey is the content address of a question: model, schema version and
// the exact messages. The response_format mode is left out on purpose: it is
// a transport detail (the answer is validated the same way), and including
// it would make a server without json_schema miss the cache every run.
func cacheKey(model string, msgs []openai.ChatCompletionMessage) string {
	h := sha256.New()
	b, err := json.Marshal(struct {
		V, Model string
		Msgs     []openai.ChatCompletionMessage
	}{SchemaVersion, model, msgs})
	if err != nil {
		panic(err) // plain strings always marshal
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func (c cache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json")
}

func (c cache) get(key string) (cacheEntry, bool) {
	if c.dir == "" {
		return cacheEntry{}, false
	}
	b, err := os.ReadFile(c.path(key))
	if err != nil {
		return cacheEntry{}, false
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil {
		return cacheEntry{}, false // a damaged entry is a miss, it gets rewritten
	}
	return e, true
}

func (c cache) put(key string, e cacheEntry) error {
	if c.dir == "" {
		return nil
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("create llm cache folder: %w", err)
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode llm cache entry: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write llm cache entry: %w", err)
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write llm cache entry: %w", err)
	}
	if err := os.Rename(f.Name(), p); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write llm cache entry: %w", err)
	}
	return nil
}

// DefaultCacheDir is where answers are cached: $XDG_CACHE_HOME/registre/llm,
// else ~/.cache/registre/llm, else dataDir/cache/llm when the user's cache
// folder is unknown, else "" (no cache).
func DefaultCacheDir(dataDir string) string {
	if d, err := os.UserCacheDir(); err == nil && d != "" {
		return filepath.Join(d, "registre", "llm")
	}
	if dataDir != "" {
		return filepath.Join(dataDir, "cache", "llm")
	}
	return ""
}
