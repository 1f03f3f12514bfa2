package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"registre/index"
	"registre/index/bleveindex"
	"registre/ingest"
	"registre/ledger"
	"registre/pipeline"
)

// TestMain lets the kill test run this test binary as the registre command
// (REGISTRE_TEST_MAIN=1), so it kills a real process without a go build.
func TestMain(m *testing.M) {
	if os.Getenv("REGISTRE_TEST_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	// The command tests use the embedded index of their own data dirs,
	// even when the run exports ELASTICSEARCH_URL for the index tests; the
	// few that need the node take its URL from testESURL.
	testESURL = os.Getenv("ELASTICSEARCH_URL")
	os.Unsetenv("ELASTICSEARCH_URL")
	os.Exit(m.Run())
}

// ingestCLI runs "registre ingest" in-process with a report file and returns
// the parsed report, stderr and the exit code.
func ingestCLI(t *testing.T, data string, args ...string) (*ingestReport, string, int) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	full := append([]string{"ingest", "--data", data, "--report", report, "--workers", "2"}, args...)
	code := run(context.Background(), full, &stdout, &stderr)
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("ingest %v: exit %d, no report: %v\nstderr: %s", args, code, err, stderr.String())
	}
	var rep ingestReport
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatalf("report: %v", err)
	}
	return &rep, stdout.String() + stderr.String(), code
}

// ingestWith runs an ingest like ingestCLI, with the parsed configuration
// adjusted by tune first (for settings no flag exposes).
func ingestWith(t *testing.T, tune func(*ingestConfig), data string, args ...string) (*ingestReport, string, int) {
	t.Helper()
	var out bytes.Buffer
	full := append([]string{"--data", data, "--workers", "2"}, args...)
	cfg, code, ok := parseIngest(full, &out)
	if !ok {
		t.Fatalf("ingest %v: usage (exit %d)\n%s", args, code, out.String())
	}
	tune(&cfg)
	rep, err := ingestRun(context.Background(), cfg, &out, &out)
	if err != nil {
		t.Fatalf("ingest %v: %v\n%s", args, err, out.String())
	}
	code = exitOK
	if len(rep.Failed) > 0 {
		code = exitFailed
	}
	return rep, out.String(), code
}

// indexContent returns every entry of the embedded index (records and
// document-status entries) as id → record JSON.
func indexContent(t *testing.T, data string) map[string]string {
	t.Helper()
	ctx := context.Background()
	x, err := bleveindex.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	out := map[string]string{}
	for _, kind := range []string{index.KindRecord, index.KindDocumentStatus} {
		for from := 0; ; from += 1000 {
			res, err := x.Search(ctx, index.Query{Filters: map[string][]string{"kind": {kind}}, WithRecords: true, Size: 1000, From: from, Facets: []string{}})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				if _, dup := out[h.ID]; dup {
					t.Errorf("id %s returned twice", h.ID)
				}
				raw, _ := json.Marshal(h.Record)
				out[h.ID] = string(raw)
			}
			if len(res.Hits) < 1000 {
				break
			}
		}
	}
	return out
}

// searchTotal is the default search total (processing records only).
func searchTotal(t *testing.T, data string, filters map[string][]string) (int, []index.Hit) {
	t.Helper()
	ctx := context.Background()
	x, err := bleveindex.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res, err := x.Search(ctx, index.Query{Filters: filters, Size: 1000, WithRecords: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total, res.Hits
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func zipBytes(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostileCorpus writes good files and every kind of bad file into dir and
// returns the bad ones (name → reason substring expected).
func hostileCorpus(t *testing.T, dir string) (good []string, bad map[string]string) {
	fx := filepath.Join("..", "..", "fixtures", "bulk")
	for _, f := range []string{"cramif-registre.html", "declaration-medialog.docx", "fiche-registre-journal-d-entreprise-10-minutes.pdf"} {
		copyFile(t, filepath.Join(fx, f), filepath.Join(dir, "good", f))
		good = append(good, filepath.Join(dir, "good", f))
	}
	// Mislabelled: a DOCX named .pdf is read by its content.
	copyFile(t, filepath.Join(fx, "declaration-sntrp.docx"), filepath.Join(dir, "good", "sntrp-mislabelled.pdf"))
	good = append(good, filepath.Join(dir, "good", "sntrp-mislabelled.pdf"))

	bad = map[string]string{}
	write := func(name string, data []byte, reason string) {
		p := filepath.Join(dir, "bad", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		bad[p] = reason
	}
	pdfData, err := os.ReadFile(filepath.Join(fx, "fiche-registre-journal-d-entreprise-10-minutes.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	write("truncated.pdf", pdfData[:len(pdfData)/2], "truncated")
	enc, err := os.ReadFile(filepath.Join(fx, "encrypted-password.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	write("encrypted.pdf", enc, "encrypted")
	write("empty.docx", nil, "empty")
	r := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 8192)
	for i := range random {
		random[i] = byte(r.UintN(256))
	}
	write("random.pdf", random, "unsupported")
	// Mislabelled and broken: an HTML page named .docx whose content is a
	// spreadsheet-less zip.
	write("mislabelled.docx", zipBytes(t, map[string][]byte{"hello.txt": []byte("bonjour")}), "zip archive that is not")
	// Over the size cap (the test runs with --max-size 2000000).
	write("huge.html", bytes.Repeat([]byte("<p>Registre des traitements</p>\n"), 70000), "too large")
	bomb := []byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
		strings.Repeat(" ", 80<<20) + `</w:t></w:r></w:p></w:body></w:document>`)
	write("zip-bomb.docx", zipBytes(t, map[string][]byte{
		"[Content_Types].xml": []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
		"word/document.xml":   bomb,
	}), "too large")
	// Deeply nested markup is hostile but readable: the HTML reader reads
	// the deep subtree flat, so it is processed (no record), not failed.
	deep := filepath.Join(dir, "bad", "deep.html")
	if err := os.WriteFile(deep, []byte("<html><body>"+strings.Repeat("<div>", 100000)+"Nom du traitement : x"+strings.Repeat("</div>", 100000)+"</body></html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	return good, bad
}

func TestIngestHostileCorpus(t *testing.T) {
	dir := t.TempDir()
	good, bad := hostileCorpus(t, dir)
	// Expected records: each good file extracted on its own.
	p := newPipeline(pipeline.Options{Workers: 1})
	want := map[string]string{} // id → source path (the last file wins a shared id)
	extracted := 0
	checker := defaultChecker()
	for _, f := range good {
		res := p.File(context.Background(), f)
		if res.Err != nil {
			t.Fatalf("good file %s: %v", f, res.Err)
		}
		if len(res.Records) == 0 {
			t.Fatalf("good file %s gave no record", f)
		}
		if checker != nil {
			checker.Check(res.Records)
		}
		extracted += len(res.Records)
		for _, r := range res.Records {
			want[r.ID] = f
		}
	}
	data := t.TempDir()
	rep, out, code := ingestCLI(t, data, "--max-size", "2000000", dir)
	if code != exitFailed {
		t.Errorf("exit %d, want %d (some files failed)\n%s", code, exitFailed, out)
	}
	failed := map[string]failedFile{}
	for _, f := range rep.Failed {
		failed[f.Path] = f
	}
	for path, reason := range bad {
		f, ok := failed[path]
		if !ok {
			t.Errorf("%s: not reported as failed", filepath.Base(path))
			continue
		}
		if !strings.Contains(strings.ToLower(f.Reason), reason) || f.Class == "" {
			t.Errorf("%s: reason %q (class %q), want it to mention %q", filepath.Base(path), f.Reason, f.Class, reason)
		}
		// The summary names every failed file with its reason.
		if !strings.Contains(out, path+": ") {
			t.Errorf("summary does not name %s", path)
		}
	}
	for path := range failed {
		if _, ok := bad[path]; !ok {
			t.Errorf("good file %s reported failed: %s", path, failed[path].Reason)
		}
	}
	if rep.Files != len(good)+len(bad)+1 || rep.Processed != rep.Files {
		t.Errorf("files %d processed %d, want %d", rep.Files, rep.Processed, len(good)+len(bad)+1)
	}
	// The same processing described in two files (the register and its
	// declaration form) has one id: counted per file, indexed once.
	if rep.Records != extracted {
		t.Errorf("report counts %d records, want %d", rep.Records, extracted)
	}
	// Every good record is in the index, once, from its file.
	content := indexContent(t, data)
	for id, src := range want {
		raw, ok := content[id]
		if !ok {
			t.Errorf("record %s (from %s) missing from the index", id, filepath.Base(src))
			continue
		}
		if !strings.Contains(raw, `"path":"`+src+`"`) {
			t.Errorf("record %s: source is not %s", id, src)
		}
	}
	// Failures are searchable as document-status entries, never counted as
	// records.
	total, _ := searchTotal(t, data, nil)
	if total != len(want) {
		t.Errorf("default search total %d, want %d records (status entries excluded)", total, len(want))
	}
	n, hits := searchTotal(t, data, map[string][]string{"kind": {index.KindDocumentStatus}})
	if n != len(bad) {
		t.Errorf("kind=document_status gives %d entries, want %d", n, len(bad))
	}
	for _, h := range hits {
		if _, ok := bad[h.Record.Source.Path]; !ok || len(h.Record.Flags) == 0 || h.Record.Flags[0].Message == "" {
			t.Errorf("status entry %s for %s has no reason", h.ID, h.Record.Source.Path)
		}
	}
	// A second run does nothing new and still reports the failures.
	rep2, _, code2 := ingestCLI(t, data, "--max-size", "2000000", dir)
	if code2 != exitFailed || rep2.Processed != 0 || rep2.Unchanged != rep.Files || len(rep2.Failed) != len(bad) {
		t.Errorf("re-run: exit %d, processed %d, unchanged %d, failed %d", code2, rep2.Processed, rep2.Unchanged, len(rep2.Failed))
	}
}

// TestIngestKillResume kills real ingest processes (SIGKILL) at several
// points, re-runs until done, and compares the index with an uninterrupted
// run: same entries, same content, nothing duplicated or missing.
func TestIngestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test runs real processes")
	}
	corpus := genCorpus(t, 120, "pdf,docx,html")
	// Some failures too: their status entries must converge as well.
	copyFile(t, filepath.Join("..", "..", "fixtures", "bulk", "encrypted-password.pdf"), filepath.Join(corpus, "bad", "encrypted.pdf"))
	if err := os.WriteFile(filepath.Join(corpus, "bad", "empty.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	ref := t.TempDir()
	repRef, out, code := ingestCLI(t, ref, corpus)
	if code != exitFailed || len(repRef.Failed) != 2 {
		t.Fatalf("reference run: exit %d, failed %d\n%s", code, len(repRef.Failed), out)
	}
	want := indexContent(t, ref)
	if len(want) != repRef.Records+2 {
		t.Fatalf("reference index has %d entries, report says %d records + 2 failures", len(want), repRef.Records)
	}

	data := t.TempDir()
	progress := regexp.MustCompile(`registre ingest: (\d+)/(\d+) files`)
	// Kill points: during planning (right away), then after k files of the
	// run's own progress.
	kills := []int{-1, 0, 10, 25, 5}
	killed := 0
	for _, at := range kills {
		cmd := exec.Command(os.Args[0], "ingest", "--data", data, "--workers", "2", "--progress-every", "20ms", corpus)
		cmd.Env = append(os.Environ(), "REGISTRE_TEST_MAIN=1")
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout = io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if at < 0 {
					continue
				}
				if m := progress.FindStringSubmatch(sc.Text()); m != nil {
					if n, _ := strconv.Atoi(m[1]); n >= at {
						cmd.Process.Signal(syscall.SIGKILL)
					}
				}
			}
		}()
		if at < 0 {
			time.Sleep(30 * time.Millisecond)
			cmd.Process.Signal(syscall.SIGKILL)
		}
		<-done
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed++
		} else {
			t.Logf("run with kill point %d finished before the kill (%v)", at, err)
		}
	}
	if killed < 3 {
		t.Errorf("only %d runs were killed mid-way; the test did not exercise resumption", killed)
	}
	rep, out, _ := ingestCLI(t, data, corpus)
	if rep.Files != repRef.Files || len(rep.Failed) != 2 {
		t.Errorf("final run: %d files, %d failed; want %d, 2\n%s", rep.Files, len(rep.Failed), repRef.Files, out)
	}
	got := indexContent(t, data)
	missing, extra, differ := 0, 0, 0
	for id, w := range want {
		g, ok := got[id]
		switch {
		case !ok:
			missing++
			t.Errorf("missing after kills: %s", id)
		case g != w:
			differ++
			t.Errorf("entry %s differs from the uninterrupted run", id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra++
			t.Errorf("duplicate/extra entry after kills: %s", id)
		}
	}
	t.Logf("%d killed runs; %d entries; missing %d, extra %d, different %d", killed, len(got), missing, extra, differ)
	// A further run has nothing left to do.
	rep, _, _ = ingestCLI(t, data, corpus)
	if rep.Processed != 0 {
		t.Errorf("run after convergence processed %d files", rep.Processed)
	}
}

// TestIngestLedgerLifecycle covers dry-run, moves, copies, changes,
// deletions with and without --prune, and a version bump.
func TestIngestLedgerLifecycle(t *testing.T) {
	corpus := genCorpus(t, 8, "docx,html")
	spare := genCorpusSeed(t, 4, "docx,html", 99) // other content for the "changed" file
	files, err := ingest.Walk([]string{corpus})
	if err != nil || len(files) != 8 {
		t.Fatalf("corpus: %v %v", files, err)
	}
	data := t.TempDir()
	ctx := context.Background()

	// Dry run on a fresh data dir: everything would be added, nothing done.
	var dry bytes.Buffer
	if code := run(ctx, []string{"ingest", "--data", data, "--dry-run", corpus}, &dry, io.Discard); code != exitOK {
		t.Fatalf("dry run exit %d", code)
	}
	if got := strings.Count(dry.String(), "added "); got != 8 || !strings.Contains(dry.String(), "8 added, 0 changed, 0 unchanged, 0 removed") {
		t.Errorf("dry run on a fresh dir:\n%s", dry.String())
	}
	if _, err := os.Stat(filepath.Join(data, bleveindex.DirName)); err == nil {
		t.Error("dry run created the index")
	}

	rep, out, code := ingestCLI(t, data, corpus)
	if code != exitOK || rep.Added != 8 || rep.Records == 0 {
		t.Fatalf("first run: exit %d, added %d, records %d\n%s", code, rep.Added, rep.Records, out)
	}
	records := rep.Records
	before := indexContent(t, data)

	// Nothing changed: dry run and run agree, nothing processed.
	dry.Reset()
	run(ctx, []string{"ingest", "--data", data, "--dry-run", corpus}, &dry, io.Discard)
	if !strings.Contains(dry.String(), "0 added, 0 changed, 8 unchanged, 0 removed") {
		t.Errorf("dry run after ingest:\n%s", dry.String())
	}
	rep, _, _ = ingestCLI(t, data, corpus)
	if rep.Processed != 0 || rep.Unchanged != 8 || rep.Records != records {
		t.Errorf("unchanged run: processed %d unchanged %d records %d", rep.Processed, rep.Unchanged, rep.Records)
	}

	// Move one file, copy another, change a third, delete a fourth.
	moved, movedTo := files[0], filepath.Join(corpus, "archives", "2019", "renamed-"+filepath.Base(files[0]))
	if err := os.MkdirAll(filepath.Dir(movedTo), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(moved, movedTo); err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(corpus, "copie-"+filepath.Base(files[1]))
	copyFile(t, files[1], copied)
	changed := files[2]
	spareFiles, _ := ingest.Walk([]string{spare})
	newContent := spareFiles[0]
	copyFile(t, newContent, changed)
	newSHA, _ := ledger.HashFile(changed)
	deleted := files[3]
	if err := os.Remove(deleted); err != nil {
		t.Fatal(err)
	}

	dry.Reset()
	run(ctx, []string{"ingest", "--data", data, "--dry-run", corpus}, &dry, io.Discard)
	for _, wantLine := range []string{
		"moved     " + movedTo + " (from " + moved + ")",
		"duplicate " + copied + " (same content as " + files[1] + ")",
		"changed   " + changed,
		"removed   " + deleted,
		"0 added, 1 changed, 5 unchanged, 1 removed (1 moved, 1 duplicates)",
	} {
		if !strings.Contains(dry.String(), wantLine) {
			t.Errorf("dry run lacks %q:\n%s", wantLine, dry.String())
		}
	}
	if after := indexContent(t, data); len(after) != len(before) {
		t.Errorf("dry run changed the index: %d → %d entries", len(before), len(after))
	}

	rep, out, _ = ingestCLI(t, data, corpus)
	if rep.Moved != 1 || rep.Duplicates != 1 || rep.Changed != 1 || rep.Removed != 1 || rep.Pruned != 0 || rep.Processed != 1 {
		t.Errorf("after edits: moved %d duplicates %d changed %d removed %d pruned %d processed %d\n%s",
			rep.Moved, rep.Duplicates, rep.Changed, rep.Removed, rep.Pruned, rep.Processed, out)
	}
	if !strings.Contains(out, "--prune") {
		t.Errorf("summary does not point at --prune for the deleted file:\n%s", out)
	}
	bySource := func() map[string][]string {
		m := map[string][]string{}
		for id, raw := range indexContent(t, data) {
			var rec struct {
				Source struct{ Path string } `json:"source"`
			}
			json.Unmarshal([]byte(raw), &rec)
			m[rec.Source.Path] = append(m[rec.Source.Path], id)
		}
		return m
	}
	src := bySource()
	if len(src[moved]) != 0 || len(src[movedTo]) == 0 {
		t.Errorf("moved file: %d entries under the old path, %d under the new", len(src[moved]), len(src[movedTo]))
	}
	if len(src[copied]) != 0 || len(src[files[1]]) == 0 {
		t.Errorf("copied file indexed twice (%d entries under the copy)", len(src[copied]))
	}
	if len(src[deleted]) == 0 {
		t.Error("deleted file's entries went without --prune")
	}
	// The changed file's old records are gone, its new ones are there.
	oldIDs := map[string]bool{}
	for id, raw := range before {
		if strings.Contains(raw, `"path":"`+changed+`"`) {
			oldIDs[id] = true
		}
	}
	newIDs := map[string]bool{}
	for _, id := range src[changed] {
		newIDs[id] = true
	}
	for id := range oldIDs {
		if !newIDs[id] && len(src[changed]) > 0 {
			if raw, ok := indexContent(t, data)[id]; ok && strings.Contains(raw, `"path":"`+changed+`"`) {
				t.Errorf("changed file still has its old record %s", id)
			}
		}
	}
	for id, raw := range indexContent(t, data) {
		if strings.Contains(raw, `"path":"`+changed+`"`) && !strings.Contains(raw, newSHA) {
			t.Errorf("entry %s of the changed file is from its old content", id)
		}
	}
	if len(src[changed]) == 0 {
		t.Error("changed file has no records")
	}

	rep, _, _ = ingestCLI(t, data, "--prune", corpus)
	if rep.Pruned != 1 || rep.Processed != 0 {
		t.Errorf("prune run: pruned %d processed %d", rep.Pruned, rep.Processed)
	}
	if src = bySource(); len(src[deleted]) != 0 {
		t.Errorf("pruned file still has %d entries", len(src[deleted]))
	}
	rep, _, _ = ingestCLI(t, data, "--prune", corpus)
	if rep.Removed != 0 || rep.Processed != 0 {
		t.Errorf("after prune: removed %d processed %d", rep.Removed, rep.Processed)
	}

	// Removing the original of a copy hands its content to the copy.
	if err := os.Remove(files[1]); err != nil {
		t.Fatal(err)
	}
	rep, _, _ = ingestCLI(t, data, "--prune", corpus)
	if rep.Moved != 1 || rep.Processed != 0 {
		t.Errorf("original of a copy removed: moved %d processed %d", rep.Moved, rep.Processed)
	}
	if src = bySource(); len(src[copied]) == 0 || len(src[files[1]]) != 0 {
		t.Errorf("copy did not take over: %d under the copy, %d under the removed original", len(src[copied]), len(src[files[1]]))
	}

	// A version bump of the DOCX reader re-processes only DOCX files.
	now, _ := filepath.Glob(filepath.Join(corpus, "*", "*.docx"))
	more, _ := filepath.Glob(filepath.Join(corpus, "*.docx"))
	deeper, _ := filepath.Glob(filepath.Join(corpus, "*", "*", "*.docx"))
	docx := len(now) + len(more) + len(deeper)
	p := newPipeline(pipeline.Options{})
	cfg := ingestConfig{DataDir: data, Workers: 2, Timeout: time.Minute, MaxSize: ingest.DefaultMaxSize, Paths: []string{corpus},
		Versions: func(f string) string {
			v := p.Versions(registreFormat(f))
			if f == "docx" {
				v += " docx-bumped"
			}
			return v
		}}
	cfg.Index.data = data
	rep2, err := ingestRun(ctx, cfg, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Reprocessed == 0 || rep2.Reprocessed != rep2.Processed || rep2.ByFormat["docx"] == 0 {
		t.Errorf("version bump: reprocessed %d processed %d", rep2.Reprocessed, rep2.Processed)
	}
	// Copies are not re-processed: the owner of the content is.
	if rep2.Reprocessed > docx || rep2.Reprocessed < docx-1 {
		t.Errorf("version bump re-processed %d files, want the %d DOCX files (copies excepted)", rep2.Reprocessed, docx)
	}
	rep2, _ = ingestRun(ctx, cfg, io.Discard, io.Discard)
	if rep2.Processed != 0 {
		t.Errorf("second run with the bumped version processed %d files", rep2.Processed)
	}
}

// TestIngestShard splits a corpus in two shards by content hash: disjoint,
// complete, and together the same index as one run.
func TestIngestShard(t *testing.T) {
	corpus := genCorpus(t, 12, "docx,html")
	full := t.TempDir()
	repFull, _, _ := ingestCLI(t, full, corpus)
	want := indexContent(t, full)

	data := t.TempDir()
	seen := map[string]int{}
	for k := 1; k <= 2; k++ {
		rep, out, code := ingestCLI(t, data, "--shard", strconv.Itoa(k)+"/2", corpus)
		if code != exitOK || rep.Processed == 0 || rep.SkippedOtherShards == 0 {
			t.Fatalf("shard %d/2: exit %d processed %d skipped %d\n%s", k, code, rep.Processed, rep.SkippedOtherShards, out)
		}
		seen[rep.Shard] = rep.Processed
	}
	if seen["1/2"]+seen["2/2"] != repFull.Processed {
		t.Errorf("shards processed %v, want %d together", seen, repFull.Processed)
	}
	// Each file went to the shard its hash names.
	files, _ := ingest.Walk([]string{corpus})
	for _, f := range files {
		sha, err := ledger.HashFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in1, in2 := (ledger.Shard{K: 1, N: 2}).Has(sha), (ledger.Shard{K: 2, N: 2}).Has(sha)
		if in1 == in2 {
			t.Errorf("%s is in both shards or none", f)
		}
	}
	got := indexContent(t, data)
	if len(got) != len(want) {
		t.Errorf("two shards give %d entries, one run %d", len(got), len(want))
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("entry %s differs between sharded and single runs", id)
		}
	}
}

func TestIngestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"ingest"},
		{"ingest", "--shard", "3/2", "."},
		{"ingest", "--shard", "x", "."},
		{"ingest", "--workers", "-1", "."},
		{"ingest", "--bogus", "."},
		{"ingest", "--data", t.TempDir(), filepath.Join(t.TempDir(), "does-not-exist")},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), args, io.Discard, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, exitUsage, stderr.String())
		}
	}
	// The summary's tables list formats and flags.
	data := t.TempDir()
	_, out, code := ingestCLI(t, data, filepath.Join("..", "..", "fixtures", "bulk", "cramif-registre.html"))
	if code != exitOK || !strings.Contains(out, "files by format") || !strings.Contains(out, "flags by code") {
		t.Errorf("exit %d, summary:\n%s", code, out)
	}
	if !slices.Contains(strings.Fields(out), "html") {
		t.Errorf("summary lacks the html format row:\n%s", out)
	}
}

// A file over its time limit is reported as timed out, with a status entry,
// and the run goes on; a later run with a sane limit processes it.
func TestIngestPerFileTimeout(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	copyFile(t, filepath.Join("..", "..", "fixtures", "bulk", "cramif-registre.html"), filepath.Join(dir, "cramif.html"))
	rep, _, code := ingestCLI(t, data, "--timeout", "1ns", dir)
	if code != exitFailed || len(rep.Failed) != 1 || rep.Failed[0].Class != "timeout" || !strings.Contains(rep.Failed[0].Reason, "timed out after 1ns") {
		t.Fatalf("exit %d, failed %+v", code, rep.Failed)
	}
	if n, _ := searchTotal(t, data, map[string][]string{"kind": {index.KindDocumentStatus}}); n != 1 {
		t.Errorf("%d status entries, want 1", n)
	}
	// A time limit is worth another try: the next run retries the file
	// although nothing changed.
	rep, _, code = ingestCLI(t, data, dir)
	if code != exitOK || rep.Records == 0 || rep.Reprocessed != 1 {
		t.Fatalf("retry: exit %d, records %d, reprocessed %d", code, rep.Records, rep.Reprocessed)
	}
	if n, _ := searchTotal(t, data, map[string][]string{"kind": {index.KindDocumentStatus}}); n != 0 {
		t.Errorf("status entry of the timed-out file still there (%d)", n)
	}
}
