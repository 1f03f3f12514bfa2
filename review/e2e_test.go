package review

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser; under CI a missing browser fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no Chromium found (scripts/setup.sh installs Debian's chromium)")
	}
	t.Skip("no Chromium on this machine")
	return ""
}

// buildCLI builds the registre command once for the test.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "registre")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/registre")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func cli(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("registre %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestBrowserReviewSurvivesReingestion drives the web app in headless
// Chromium: sign in, search with a facet, open a record, correct its
// retention, dismiss a flag, re-run `registre ingest` with the server up,
// reload — the correction and the dismissal are still there.
func TestBrowserReviewSurvivesReingestion(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test")
	}
	// The embedded index of a private data dir, even when the run has an
	// Elasticsearch node for the index tests.
	t.Setenv("ELASTICSEARCH_URL", "")
	browser := chromium(t)
	bin := buildCLI(t)
	data := t.TempDir()
	corpus, err := filepath.Abs("../fixtures/corpus/cramif-registre.html")
	if err != nil {
		t.Fatal(err)
	}
	out := cli(t, bin, "users", "add", "--data", data, "--role", "reviewer", "relectrice")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	cli(t, bin, "ingest", "--data", data, corpus)

	serve := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	stdout, _ := serve.StdoutPipe()
	serve.Stderr = os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Kill(); serve.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	base := regexp.MustCompile(`http://[0-9.:]+`).FindString(line)
	if base == "" {
		t.Fatalf("no URL in %q", line)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.WindowSize(1400, 1000))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	// The first Run starts the browser; later steps are bounded by the
	// test's own deadline.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	shots := os.Getenv("E2E_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join(os.TempDir(), "registre-e2e")
	}
	fail := func(name string, err error) {
		t.Helper()
		if png, serr := chromedp.Run(ctx, chromedp.FullScreenshot(80)); serr == nil {
			os.MkdirAll(shots, 0o755)
			p := filepath.Join(shots, name+".png")
			os.WriteFile(p, png, 0o644)
			t.Logf("screenshot: %s", p)
		}
		t.Fatalf("%s: %v", name, err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			fail(name, err)
		}
	}
	text := func(name string, sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			fail(name, err)
		}
		return v
	}

	step("login",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("total")),
	)
	step("search with a facet",
		chromedp.SetValue(chromedp.CSS(`input[name=q]`), "conservation"),
		chromedp.Submit(chromedp.CSS(`input[name=q]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul[data-facet=organisation] a[data-value=Cramif]`)),
		chromedp.Click(chromedp.CSS(`ul[data-facet=organisation] a[data-value=Cramif]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul[data-facet=organisation] a.on`)),
	)
	if total := text("count hits", `#total strong`); total == "" || total == "0" {
		t.Fatalf("no hit after the facet: %q", total)
	}
	// Open a record that has a flag to dismiss: the queue lists them first.
	step("open a record",
		chromedp.Navigate(base+"/queue"),
		chromedp.WaitVisible(chromedp.CSS(`table.fields a`)),
		chromedp.Click(chromedp.CSS(`table.fields a`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-field="retention.text"]`)),
	)
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		fail("location", err)
	}
	const corrected = "5 ans à compter de la clôture du dossier"
	step("correct the retention",
		chromedp.SetValue(chromedp.CSS(`tr[data-field="retention.text"] textarea`), corrected),
		chromedp.SendKeys(chromedp.CSS(`tr[data-field="retention.text"] input[name=comment]`), "validé avec le service"),
		chromedp.Click(chromedp.CSS(`tr[data-field="retention.text"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-field="retention.text"] .badge.review`)),
	)
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`.flag.open`), "data-code"))
	if err != nil || attr.Value == "" {
		fail("find an open flag", fmt.Errorf("%v (value %q)", err, attr.Value))
	}
	code := attr.Value
	step("dismiss a flag",
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`.flag[data-code=%q] .dismiss-comment`, code)), "accepté par le DPO"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`.flag[data-code=%q] button.dismiss`, code))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`.flag.dismissed[data-code=%q]`, code))),
	)

	// Re-ingest while the server runs.
	cli(t, bin, "ingest", "--data", data, corpus)

	step("reload after re-ingestion",
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-field="retention.text"]`)),
	)
	retention := text("read retention", `tr[data-field="retention.text"] td.value`)
	status := text("read flag status", fmt.Sprintf(`.flag[data-code=%q] .flag-status`, code))
	history := text("read history", `#history`)
	if strings.TrimSpace(retention) != corrected {
		t.Errorf("retention after re-ingestion = %q, want %q", retention, corrected)
	}
	if strings.TrimSpace(status) != "dismissed" {
		t.Errorf("flag %s status after re-ingestion = %q, want dismissed", code, status)
	}
	if !strings.Contains(history, "relectrice") || !strings.Contains(history, "dismiss") || !strings.Contains(history, "retention.text") {
		t.Errorf("history lacks the audit entries: %q", history)
	}
	if p := os.Getenv("E2E_SCREENSHOT_OUT"); p != "" {
		// The README's picture: a search with a facet, as analysts see it.
		step("screenshot", chromedp.Navigate(base+"/?q=donnees+de+sante&filter=organisation:Cramif"), chromedp.WaitVisible(chromedp.ID("total")))
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			os.WriteFile(p, png, 0o644)
		}
	}
}
