package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"registre"
	"registre/ingest"
)

// fakeServer is an in-process OpenAI-compatible server speaking the real
// chat-completions protocol. Each request is decoded as the API would, the
// test's reply function chooses the answer, and every body is checked for
// identifiers that must never leave the machine.
type fakeServer struct {
	t     *testing.T
	srv   *httptest.Server
	reply func(n int, req openai.ChatCompletionRequest) fakeReply

	mu     sync.Mutex
	n      int
	bodies []string
	reqs   []openai.ChatCompletionRequest
	// secrets are strings that must not occur in any request body.
	secrets []string
}

type fakeReply struct {
	status  int
	header  map[string]string
	content string // assistant message content (200)
	body    string // raw body (errors)
	block   bool   // hold the request until the client gives up
}

func newFake(t *testing.T, reply func(n int, req openai.ChatCompletionRequest) fakeReply) *fakeServer {
	f := &fakeServer{t: t, reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(f.handle))
	t.Cleanup(f.srv.Close)
	return f
}

// leaked are identifier shapes the server refuses to see, written
// independently of the redactor's own patterns.
var leaked = []*regexp.Regexp{
	regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z.]{2,}`),                      // e-mail
	regexp.MustCompile(`\b[12]\s?\d{2}\s?\d{2}\s?(\d{2}|2[AB])\s?\d{3}\s?\d{3}(\s?\d{2})?\b`), // NIR
	regexp.MustCompile(`\bFR\d{2}(\s?[0-9A-Z]{4}){5}`),                                        // French IBAN
	regexp.MustCompile(`(\+33\s?|\b0)[1-9]([\s.-]?\d{2}){4}\b`),                               // phone
}

func (f *fakeServer) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	f.mu.Lock()
	f.n++
	n := f.n
	f.bodies = append(f.bodies, string(body))
	f.mu.Unlock()
	if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
		f.t.Errorf("request %d: %s %s, want POST /v1/chat/completions", n, r.Method, r.URL.Path)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer test-key" {
		f.t.Errorf("request %d: Authorization %q", n, got)
	}
	// The body as JSON text escapes nothing the patterns look for (no HTML
	// escaping of @ or +), and JSON's \u00a0 escapes are decoded first.
	var req openai.ChatCompletionRequest
	if err := json.Unmarshal(body, &req); err != nil {
		f.t.Errorf("request %d: not a chat completion request: %v", n, err)
	}
	var all strings.Builder
	for _, m := range req.Messages {
		all.WriteString(m.Content)
		all.WriteString("\n")
	}
	for _, re := range leaked {
		if m := re.FindString(all.String()); m != "" {
			f.t.Errorf("request %d leaks an identifier: %q", n, m)
		}
	}
	f.mu.Lock()
	for _, s := range f.secrets {
		if strings.Contains(all.String(), s) || strings.Contains(string(body), s) {
			f.t.Errorf("request %d leaks %q", n, s)
		}
	}
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()

	rep := f.reply(n, req)
	if rep.block {
		<-r.Context().Done()
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.status != 0 && rep.status != http.StatusOK {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.body)
		return
	}
	resp := openai.ChatCompletionResponse{
		ID: fmt.Sprintf("chatcmpl-%d", n), Object: "chat.completion", Model: req.Model,
		Choices: []openai.ChatCompletionChoice{{Index: 0, FinishReason: openai.FinishReasonStop,
			Message: openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: rep.content}}},
		Usage: openai.Usage{PromptTokens: 100 + n, CompletionTokens: 10, TotalTokens: 110 + n},
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

func (f *fakeServer) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *fakeServer) requests() []openai.ChatCompletionRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]openai.ChatCompletionRequest(nil), f.reqs...)
}

func (f *fakeServer) config(t *testing.T) Config {
	return Config{
		BaseURL:  f.srv.URL + "/v1",
		Model:    "test-model",
		APIKey:   "test-key",
		CacheDir: t.TempDir(),
	}
}

// userText returns the user messages of a request.
func userText(req openai.ChatCompletionRequest) string {
	var b strings.Builder
	for _, m := range req.Messages {
		if m.Role == openai.ChatMessageRoleUser {
			b.WriteString(m.Content)
		}
	}
	return b.String()
}

// answer encodes an answer the way a model writes it.
func answer(recs ...map[string]any) string {
	b, err := json.Marshal(map[string]any{"records": recs})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// readFixture reads a fixture of fixtures/llm with the project's readers.
func readFixture(t *testing.T, name string) *registre.Document {
	t.Helper()
	path := filepath.Join("..", "..", "fixtures", "llm", name)
	doc, err := ingest.ReadFile(context.Background(), path, ingest.Options{})
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return doc
}

// canned is an answer of fixtures/llm/canned.
type canned struct {
	Match   string          `json:"match"`
	Content json.RawMessage `json:"content"`
}

func loadCanned(t *testing.T) []canned {
	t.Helper()
	dir := filepath.Join("..", "..", "fixtures", "llm", "canned")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []canned
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var c canned
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		out = append(out, c)
	}
	return out
}

// cannedReply answers with the canned answer whose phrase the prompt holds,
// and with no record otherwise.
func cannedReply(cs []canned) func(int, openai.ChatCompletionRequest) fakeReply {
	return func(_ int, req openai.ChatCompletionRequest) fakeReply {
		u := userText(req)
		for _, c := range cs {
			if strings.Contains(u, c.Match) {
				return fakeReply{content: string(c.Content)}
			}
		}
		return fakeReply{content: `{"records": []}`}
	}
}
