package main

import (
	"context"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// memSampler follows the process's memory during a bench stage. VmHWM, the
// kernel's high-water mark, is exact but lumps together two kinds of
// resident pages: anonymous memory (the Go heap and runtime: what the
// program allocates) and file-backed pages (the binary, and bleve's zap
// segments, which scorch memory-maps: every page a search or a segment
// merge touches stays resident until the segment is closed, though the
// kernel can drop it at will). The sampler reads RssAnon and RssFile every
// 200 ms to tell them apart; their peaks are sampled, so a spike shorter
// than that can be missed (VmHWM is not).
type memSampler struct {
	mu                     sync.Mutex
	anon, file, rss, heap  int64 // peaks, bytes
	anonAtPeak, fileAtPeak int64 // the split at the highest sampled VmRSS
	heapSample             []metrics.Sample
	hwmReset               bool
	cpuStart               time.Duration
	started                time.Time
	cancel                 context.CancelFunc
	done                   chan struct{}
	// profile, when set, receives a heap profile each time the sampled
	// anonymous memory passes its last profiled value by 10 %: the file
	// ends up describing the heap near the stage's anonymous peak.
	profile      string
	profiledAnon int64
	profileErr   error
}

// memPeaks is what a stage used.
type memPeaks struct {
	HWM        int64 // VmHWM: exact peak of resident memory, bytes (0 if unknown)
	HWMReset   bool  // VmHWM was reset at the stage's start (else it covers the process so far)
	Anon       int64 // sampled peak of RssAnon
	File       int64 // sampled peak of RssFile
	RSS        int64 // sampled peak of VmRSS
	AnonAtPeak int64 // RssAnon at the sampled VmRSS peak
	FileAtPeak int64 // RssFile at the sampled VmRSS peak
	Heap       int64 // sampled peak of the Go heap's objects
	CPU        time.Duration
	Wall       time.Duration
}

// startMemSampler resets the kernel's peak (so VmHWM covers this stage
// alone) and samples until stop; profile is "" or a heap profile to write
// near the anonymous peak.
func startMemSampler(ctx context.Context, profile string) *memSampler {
	s := &memSampler{
		profile:    profile,
		heapSample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}},
		done:       make(chan struct{}),
		cpuStart:   processCPU(),
		started:    time.Now(),
	}
	// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux ≥ 4.0).
	s.hwmReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	ctx, s.cancel = context.WithCancel(ctx)
	s.sample()
	go func() {
		defer close(s.done)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.sample()
			case <-ctx.Done():
				return
			}
		}
	}()
	return s
}

func (s *memSampler) sample() {
	st := procStatus()
	metrics.Read(s.heapSample)
	var heap int64
	if v := s.heapSample[0].Value; v.Kind() == metrics.KindUint64 {
		heap = int64(v.Uint64())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if anon := st["RssAnon:"]; s.profile != "" && s.profileErr == nil && anon > s.profiledAnon+s.profiledAnon/10 {
		s.profiledAnon = anon
		s.profileErr = writeHeapProfile(s.profile)
	}
	s.anon = max(s.anon, st["RssAnon:"])
	s.file = max(s.file, st["RssFile:"])
	s.heap = max(s.heap, heap)
	if rss := st["VmRSS:"]; rss > s.rss {
		s.rss, s.anonAtPeak, s.fileAtPeak = rss, st["RssAnon:"], st["RssFile:"]
	}
}

// stop ends the sampling and returns the stage's peaks, and the error of
// the heap profile if one could not be written.
func (s *memSampler) stop() (memPeaks, error) {
	s.cancel()
	<-s.done
	s.sample()
	s.mu.Lock()
	defer s.mu.Unlock()
	return memPeaks{
		HWM: procStatus()["VmHWM:"], HWMReset: s.hwmReset,
		Anon: s.anon, File: s.file, RSS: s.rss, AnonAtPeak: s.anonAtPeak, FileAtPeak: s.fileAtPeak,
		Heap: s.heap, CPU: processCPU() - s.cpuStart, Wall: time.Since(s.started),
	}, s.profileErr
}

// procStatus reads the memory lines of /proc/self/status, in bytes.
func procStatus() map[string]int64 {
	m := map[string]int64{}
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return m
	}
	for _, l := range strings.Split(string(raw), "\n") {
		f := strings.Fields(l)
		if len(f) == 3 && f[2] == "kB" {
			if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				m[f[0]] = kb * 1024
			}
		}
	}
	return m
}

// processCPU is the user + system CPU time of the process so far: on a
// shared machine the steadier measure of work than the wall clock.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (p memPeaks) String() string {
	mb := func(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }
	hwm := "unknown"
	if p.HWM > 0 {
		hwm = mb(p.HWM)
		if !p.HWMReset {
			hwm += " (process so far)"
		}
	}
	return fmt.Sprintf("peak RSS (VmHWM) %s; sampled every 200 ms: peak anonymous %s (Go heap objects %s), peak file-backed %s (binary and memory-mapped index segments, reclaimable), highest RSS %s = %s anonymous + %s file-backed; CPU %.1f s (user+system) over %.1f s",
		hwm, mb(p.Anon), mb(p.Heap), mb(p.File), mb(p.RSS), mb(p.AnonAtPeak), mb(p.FileAtPeak), p.CPU.Seconds(), p.Wall.Seconds())
}

// writeHeapProfile writes the heap as of the last collection as a pprof
// profile (in-use and allocated bytes by allocation site).
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("heap profile: %w", err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("heap profile %s: %w", path, err)
	}
	return f.Close()
}
