package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"registre"
	"registre/eval"
)

const llmFixtures = "../../fixtures/llm"

// cannedServer is an OpenAI-compatible fake answering with the hand-written
// answers of fixtures/llm/canned (see its README): the mechanics of the LLM
// path are measured, not a model's quality.
func cannedServer(t *testing.T) (url string, requests *atomic.Int32) {
	t.Helper()
	type canned struct {
		Match   string          `json:"match"`
		Content json.RawMessage `json:"content"`
	}
	var cs []canned
	files, err := filepath.Glob(filepath.Join(llmFixtures, "canned", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("canned answers: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c canned
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		cs = append(cs, c)
	}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		var req openai.ChatCompletionRequest
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil || req.Model != "fake-model" || r.URL.Path != "/v1/chat/completions" {
			t.Errorf("bad request %s: model %q err %v", r.URL.Path, req.Model, err)
		}
		for _, secret := range []string{"2 69 05 49 588 157 80", "dpo.cpam-gironde@", "05 56 11 22 33", "dpo@carsat-bretagne.fr", "+33 2 99 26 74 00"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("request leaks %q", secret)
			}
		}
		content := `{"records": []}`
		for _, m := range req.Messages {
			for _, c := range cs {
				if m.Role == "user" && strings.Contains(m.Content, c.Match) {
					content = string(c.Content)
				}
			}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(openai.ChatCompletionResponse{
			ID: fmt.Sprint("c", n.Load()), Object: "chat.completion", Model: req.Model,
			Choices: []openai.ChatCompletionChoice{{Message: openai.ChatCompletionMessage{Role: "assistant", Content: content}, FinishReason: "stop"}},
			Usage:   openai.Usage{PromptTokens: len(body) / 4, CompletionTokens: len(content) / 4},
		})
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1", &n
}

func llmEnv(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("OPENAI_API_KEY", "test-key")
	t.Setenv("OPENAI_BASE_URL", "")
	t.Setenv("OPENAI_MODEL", "")
}

func evalRun(t *testing.T, args ...string) ([]eval.Result, string) {
	t.Helper()
	out, errs, code := runCLI(t, append([]string{"eval", "--json", "--cases", filepath.Join(llmFixtures, "cases.json")}, args...)...)
	if code != 0 {
		t.Fatalf("eval %v: exit %d, stderr %s", args, code, errs)
	}
	var res evalOutput
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("eval output: %v", err)
	}
	return res.Cases, errs
}

// TestEvalDeltaWithLLM scores the unknown-layout fixtures with the rules
// alone and with the LLM path (fake server, canned answers), and prints the
// delta. Without --llm the server sees no request.
func TestEvalDeltaWithLLM(t *testing.T) {
	llmEnv(t)
	url, n := cannedServer(t)
	without, _ := evalRun(t)
	if n.Load() != 0 {
		t.Fatalf("eval without --llm sent %d requests", n.Load())
	}
	with, errs := evalRun(t, "--llm", "--llm-base-url", url, "--llm-model", "fake-model")
	sent := n.Load()
	if sent != 3 {
		t.Errorf("eval --llm sent %d requests, want 3 (one chunk per fixture)", sent)
	}
	if !strings.Contains(errs, "llm :") || !strings.Contains(errs, "non ancrée(s) écartée(s)") {
		t.Errorf("no LLM summary on stderr: %q", errs)
	}
	var sumF, sumR [2]float64
	for i := range without {
		w, l := without[i], with[i]
		t.Logf("%-32s records F1 %.3f → %.3f   field score %.3f → %.3f   (%d → %d records, %d gold)",
			filepath.Base(w.Input), w.Records.F1, l.Records.F1, w.FieldScore, l.FieldScore, w.GotCount, l.GotCount, l.GoldCount)
		sumF[0] += w.FieldScore
		sumF[1] += l.FieldScore
		sumR[0] += w.Records.F1
		sumR[1] += l.Records.F1
		if l.Records.F1 <= w.Records.F1 || l.FieldScore <= w.FieldScore {
			t.Errorf("%s: no gain with the LLM", w.Input)
		}
	}
	k := float64(len(without))
	t.Logf("mean records F1 %.3f → %.3f, mean field score %.3f → %.3f", sumR[0]/k, sumR[1]/k, sumF[0]/k, sumF[1]/k)
	t.Log(strings.TrimSpace(errs))

	// A re-run is served from the cache: no request.
	evalRun(t, "--llm", "--llm-base-url", url, "--llm-model", "fake-model")
	if n.Load() != sent {
		t.Errorf("re-run sent %d requests, want 0 (cache)", n.Load()-sent)
	}
}

func TestExtractLLMFlags(t *testing.T) {
	llmEnv(t)
	url, n := cannedServer(t)
	note := filepath.Join(llmFixtures, "note-rappel-carte-vitale.txt")

	out, _, code := runCLI(t, "extract", "--jsonl", note)
	if code != 0 || out != "" || n.Load() != 0 {
		t.Fatalf("without --llm: exit %d, %d requests, out %q", code, n.Load(), out)
	}

	out, errs, code := runCLI(t, "extract", "--jsonl", "--llm", "--llm-base-url", url, "--llm-model", "fake-model", note)
	if code != 0 || n.Load() != 1 {
		t.Fatalf("--llm: exit %d, %d requests, stderr %s", code, n.Load(), errs)
	}
	ls := lines(out)
	if len(ls) != 1 {
		t.Fatalf("--llm: %d records, want 1", len(ls))
	}
	var rec registre.Record
	if err := json.Unmarshal([]byte(ls[0]), &rec); err != nil {
		t.Fatal(err)
	}
	if p, ok := rec.Provenance["purposes"]; !ok || p.Method != registre.MethodLLM || p.Confidence >= 0.7 || p.End <= p.Start {
		t.Errorf("purposes provenance %+v", rec.Provenance["purposes"])
	}
	if rec.Layout != "llm" || rec.ImplementationDate == nil || *rec.ImplementationDate != "2022-04-01" {
		t.Errorf("record layout %q implementation date %v", rec.Layout, rec.ImplementationDate)
	}
	for _, r := range rec.Recipients.External {
		if strings.Contains(r, "nationale") {
			t.Errorf("ungrounded recipient kept: %q", r)
		}
	}
	if !strings.Contains(errs, "1 non ancrée(s) écartée(s)") {
		t.Errorf("summary %q", errs)
	}

	out, errs, code = runCLI(t, "extract", "--jsonl", "--llm-dry-run", note)
	if code != 0 || out != "" || n.Load() != 1 {
		t.Fatalf("--llm-dry-run: exit %d, %d more requests, out %q", code, n.Load()-1, out)
	}
	if !strings.Contains(errs, `"response_format"`) || !strings.Contains(errs, "[NIR_1]") || strings.Contains(errs, "2 69 05 49 588 157 80") {
		t.Errorf("dry-run output is not the masked request:\n%s", errs)
	}

	t.Setenv("OPENAI_API_KEY", "")
	if _, errs, code := runCLI(t, "extract", "--jsonl", "--llm", note); code != exitUsage || !strings.Contains(errs, "OPENAI_API_KEY") {
		t.Errorf("--llm without key nor server: exit %d, stderr %q", code, errs)
	}
}

// TestIngestLLM: "registre ingest --llm" indexes what the model found in
// documents of unknown layout, grounded, with method "llm"; without --llm
// the server sees nothing; the model is part of the ledger key, so turning
// the assistance on processes the files again, and a re-run is free.
func TestIngestLLM(t *testing.T) {
	llmEnv(t)
	url, n := cannedServer(t)
	tree := t.TempDir()
	for _, f := range []string{"note-rappel-carte-vitale.txt", "notice-rdv-prevention.html", "registre-msa-deux-colonnes.md"} {
		copyFile(t, filepath.Join(llmFixtures, f), filepath.Join(tree, f))
	}
	data := t.TempDir()
	llmArgs := []string{"--llm", "--llm-base-url", url, "--llm-model", "fake-model"}

	rep, out, code := ingestCLI(t, data, tree)
	if code != exitOK || n.Load() != 0 || rep.LLM != nil {
		t.Fatalf("without --llm: exit %d, %d requests, llm report %v\n%s", code, n.Load(), rep.LLM, out)
	}
	if rep.Records != 0 {
		t.Fatalf("the rules found %d records in the unknown layouts; the fixtures no longer test the LLM path", rep.Records)
	}

	rep, out, code = ingestCLI(t, data, append(llmArgs, tree)...)
	if code != exitOK {
		t.Fatalf("--llm: exit %d\n%s", code, out)
	}
	if rep.Reprocessed != 3 || n.Load() != 3 {
		t.Errorf("--llm after a run without it: %d files reprocessed, %d requests; want 3 and 3", rep.Reprocessed, n.Load())
	}
	if rep.LLM == nil || rep.LLM.RecordsAdded != 5 || rep.LLM.Ungrounded == 0 || rep.LLM.Grounded == 0 || rep.LLM.PromptTokens == 0 {
		t.Errorf("llm report %+v", rep.LLM)
	}
	if !strings.Contains(out, "non ancrée(s) écartée(s)") {
		t.Errorf("no LLM summary in the output:\n%s", out)
	}
	total, hits := searchTotal(t, data, nil)
	// The gold files of fixtures/llm hold 1 + 1 + 3 records.
	if total != 5 || rep.Records != 5 {
		t.Fatalf("index holds %d records, report says %d; want 5", total, rep.Records)
	}
	for _, h := range hits {
		if h.Record == nil {
			t.Fatalf("hit %s without its record", h.ID)
		}
		rec := *h.Record
		p, ok := rec.Provenance["purposes"]
		if !ok || p.Method != registre.MethodLLM || p.End <= p.Start || rec.Layout != "llm" {
			t.Errorf("%s: layout %q, purposes provenance %+v", rec.Source.Path, rec.Layout, p)
		}
	}

	sent := n.Load()
	rep, out, code = ingestCLI(t, data, append(llmArgs, tree)...)
	if code != exitOK || rep.Unchanged != 3 || n.Load() != sent {
		t.Errorf("re-run with --llm: exit %d, %d unchanged, %d more requests; want 3 unchanged and 0 requests\n%s", code, rep.Unchanged, n.Load()-sent, out)
	}

	t.Setenv("OPENAI_API_KEY", "")
	if _, _, code := runCLI(t, "ingest", "--data", t.TempDir(), "--llm", tree); code != exitUsage {
		t.Errorf("ingest --llm without key nor server: exit %d, want %d", code, exitUsage)
	}
}
