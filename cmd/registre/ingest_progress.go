package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress reports a run's advance on stderr: a bar redrawn in place when
// stderr is a terminal, a plain line every interval otherwise (logs, CI).
type progress struct {
	w        io.Writer
	tty      bool
	total    int
	start    time.Time
	mu       sync.Mutex
	files    int
	records  int
	failed   int
	quit     chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

func newProgress(w io.Writer, total int, every time.Duration) *progress {
	p := &progress{w: w, total: total, start: time.Now(), quit: make(chan struct{})}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	if every <= 0 {
		every = 10 * time.Second
		if p.tty {
			every = 200 * time.Millisecond
		}
	}
	if total == 0 {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.print(false)
			case <-p.quit:
				return
			}
		}
	}()
	return p
}

func (p *progress) add(files, records int, failed bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.files += files
	p.records += records
	if failed {
		p.failed++
	}
	p.mu.Unlock()
}

// stop prints the final state once and ends the ticker.
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.stopOnce.Do(func() {
		close(p.quit)
		p.wg.Wait()
		if p.total > 0 {
			p.print(true)
		}
	})
}

func (p *progress) print(final bool) {
	p.mu.Lock()
	files, records, failed := p.files, p.records, p.failed
	p.mu.Unlock()
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(files) / el
	}
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(p.total-files)/rate) * time.Second).Round(time.Second).String()
	}
	stats := fmt.Sprintf("%d/%d files, %d records, %d failed, %.1f files/s, ETA %s", files, p.total, records, failed, rate, eta)
	if !p.tty {
		fmt.Fprintf(p.w, "registre ingest: %s\n", stats)
		return
	}
	const width = 30
	n := width * files / max(p.total, 1)
	bar := strings.Repeat("█", n) + strings.Repeat("░", width-n)
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r\033[K%s %s%s", bar, stats, end)
}
